using System.CommandLine;

namespace Repro.Cli.Commands;

internal static class CalibrateCommand
{
    internal static Command Create()
    {
        var runs = new Option<int>("--runs", "-n") { Description = "How many times to train (at least 2).", HelpName = "n", DefaultValueFactory = _ => 5 };
        var widening = new Option<double>("--widening") { Description = "Margin around the measured band, as a multiple of its width.", HelpName = "factor", DefaultValueFactory = _ => 0.5 };
        var command = new Command("calibrate", """
            For runs that are not bit-exact by design (deterministic algorithms off, mixed precision): train N times,
            measure a per-epoch noise envelope for every metric, and write it with the run as this key's received
            baseline. Approve it with 'repro approve'; later checks pass inside the envelope and fail outside it.

            Examples:
              repro calibrate --config my-fast-config.json --runs 5
            """);
        CliOptions.AddTraining(command);
        command.Options.Add(CliOptions.Snapshots);
        command.Options.Add(CliOptions.Test);
        command.Options.Add(runs);
        command.Options.Add(widening);
        command.SetAction(result =>
        {
            var output = new Output(result.GetValue(CliOptions.Json));
            var count = result.GetValue(runs);
            if (count < 2) throw new ReproException($"--runs {count}: calibration needs at least 2 runs to measure noise; use 5 or more.");
            NoiseEnvelope.ValidateWidening(result.GetValue(widening));
            var config = CliOptions.CheckOf(result);
            var store = CliOptions.StoreOf(result);
            var test = config.TestIn(store, CliOptions.TestOf(result));
            // Calibration writes a received file and reads no verified one: the key and the check are what can fail here.
            if (CliTraining.StopBeforeTraining(result, output, config)) return ExitCodes.Pass;
            var trained = new List<TrainedRun>();
            for (var i = 1; i <= count; i++)
                trained.Add(CliTraining.Train(output, config, $"{config.Name} run {i}/{count}"));
            var fingerprints = trained.Select(r => r.Fingerprint).ToList();
            var envelope = NoiseEnvelope.From(fingerprints, result.GetValue(widening));
            var environment = trained[0].Environment;
            var path = store.WriteCalibration(CliTraining.FileOf(trained[0], test) with { Envelope = envelope });
            var identical = fingerprints.All(f => f.ModelHash == fingerprints[0].ModelHash);
            output.Line(identical
                ? $"All {count} runs were bit-identical: the envelope is exact."
                : $"Runs differ; envelope measured from {count} runs.");
            output.Line($"Wrote {path}\n{BaselineCheck.AcceptHint(environment.Key, test)}");
            output.Document(new { received = path, envelope, identical });
            return ExitCodes.Pass;
        });
        return command;
    }
}
