using System.CommandLine;

namespace Repro.Cli.Commands;

internal static class ApproveCommand
{
    internal static Command Create()
    {
        var allKeys = new Option<bool>("--all-keys") { Description = "Approve received files of every environment key, not just this machine's." };
        var command = new Command("approve", """
            Accept received runs as the new baselines (received -> verified), after checking each is complete.
            By default only this machine's key; lists what it accepted. Refused on CI.

            Examples:
              repro approve
              repro approve --test dualtask-small
              repro approve --key nvidia-h100-80gb-hbm3/cuda-13.0
              repro approve --all-keys
            """);
        command.Options.Add(CliOptions.Key);
        command.Options.Add(CliOptions.Test);
        command.Options.Add(allKeys);
        command.Options.Add(CliOptions.Snapshots);
        command.Options.Add(CliOptions.Device);
        command.SetAction(result =>
        {
            var output = new Output(result.GetValue(CliOptions.Json));
            if (CiDetector.Detect() is { } ci)
                throw new ReproException($"repro approve was refused: this looks like CI ({ci}). Approve on a workstation and commit the baseline.");
            var store = CliOptions.StoreOf(result);
            var all = result.GetValue(allKeys);
            var key = CliOptions.KeyOf(result);
            if (key is null && !all)
            {
                Determinism.Apply(new DeterminismOptions { Device = CliOptions.DeviceOf(result) });
                key = EnvironmentFingerprint.Capture().Key;
            }
            var accepted = store.Approve(key, CliOptions.TestOf(result), all, "repro approve");
            if (accepted.Count == 0)
                output.Line($"Nothing to approve: no received files for {(all ? "any key" : key)} under {store.Root}.");
            foreach (var path in accepted) output.Line($"Accepted {path}");
            output.Document(new { accepted, root = store.Root });
            return ExitCodes.Pass;
        });
        return command;
    }
}
