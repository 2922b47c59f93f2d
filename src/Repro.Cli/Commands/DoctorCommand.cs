using System.CommandLine;

namespace Repro.Cli.Commands;

internal static class DoctorCommand
{
    internal static Command Create()
    {
        var processes = new Option<bool>("--processes") { Description = "Also train in a second process and compare (catches per-process causes such as string hashing)." };
        var perturb = new Option<bool>("--perturb") { Description = "Also train in second processes that change what must not matter (processor count, thread-pool minimums, data workers 1 vs N, " +
            "environment order, GC mode, culture) and name the one that changes the result. Implies --processes." };
        var againstBaseline = new Option<bool>("--against-baseline") { Description = "Compare the run with the verified baseline of this key and test (required: exit 4 without one, " +
            "or when it was recorded with other settings) and report whether it matches and, if not, the first moved state: the first piece of state (data stage, initial weights, " +
            "CPU or CUDA generator, batch order, weights, optimizer) that differs, in which epoch, and what that means." };
        var auditOnly = new Option<bool>("--audit-only") { Description = "Only audit the switches and diff the environment against the baseline; train nothing." };
        var command = new Command("doctor", """
            Find out why training is not reproducible, and name each cause with the exact fix: trains the config
            twice in this process (and with --processes once more in a second process, with --perturb also in
            processes with another processor count, thread-pool minimum, data-worker count, environment order, GC
            mode and culture); when its run does not match the baseline it trains in those processes before calling
            it drift, and names the first moved state (with --against-baseline a baseline is required); when runs differ, re-runs
            them with per-step hashes and reports the first diverging step, phase (forward, backward, update) and
            stage, and whether its inputs still matched; audits every determinism switch as libtorch reports it;
            and diffs this environment against the one the baseline was recorded on.

            Exit codes: 0 clean; 1 warnings only (runs reproduce, but something can move numbers: a changed
            environment, drift against the baseline, or a GPU-only switch off); 3 non-deterministic (runs of
            the same config differ, or trainings overlapped); 4 usage or environment error (with
            --against-baseline also: no verified baseline for this key and test, or one recorded with other settings).

            Examples:
              repro doctor
              repro doctor --config chapter --device cuda --processes
              repro doctor --perturb
              repro doctor --against-baseline --test chapter
              repro doctor --json > doctor.json
            """);
        CliOptions.AddTraining(command);
        command.Options.Add(CliOptions.Snapshots);
        command.Options.Add(CliOptions.Test);
        command.Options.Add(processes);
        command.Options.Add(perturb);
        command.Options.Add(againstBaseline);
        command.Options.Add(auditOnly);
        command.SetAction(result =>
        {
            var output = new Output(result.GetValue(CliOptions.Json));
            var config = CliOptions.CheckOf(result);
            var store = CliOptions.StoreOf(result);
            var options = new DoctorOptions
            {
                RunTwice = !result.GetValue(auditOnly),
                CrossProcess = result.GetValue(processes) || result.GetValue(perturb),
                Perturb = result.GetValue(perturb),
                AgainstBaseline = result.GetValue(againstBaseline),
                Store = store,
                Test = config.TestIn(store, CliOptions.TestOf(result)),
            };
            if (CliTraining.StopBeforeTraining(result, output, config, options.Store, options.Test)) return ExitCodes.Pass;
            output.Line($"Diagnosing {config.Name}" + (options.RunTwice ? " (training it twice" + (options.Perturb ? ", in a second process and in perturbed ones)" : options.CrossProcess ? ", and once in a second process)" : ")") : " (audit only)") + "...");
            var report = Doctor.Diagnose(config.Create, options);
            output.Line(report.Render());
            output.Document(report);
            return report.Verdict switch
            {
                DoctorVerdict.Clean => ExitCodes.Pass,
                DoctorVerdict.NonDeterministic => ExitCodes.NonDeterministic,
                _ => ExitCodes.Mismatch,
            };
        });
        return command;
    }
}
