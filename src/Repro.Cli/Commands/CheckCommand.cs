using System.CommandLine;

namespace Repro.Cli.Commands;

internal static class CheckCommand
{
    internal static Command Create()
    {
        var noRerun = new Option<bool>("--no-rerun") { Description = "On a mismatch, do not train a second time to tell drift from non-determinism." };
        var command = new Command("check", """
            The main job: train the configured check on the best available device, compare it with the
            baseline for this machine's environment key, and print the verdict.

            Exit codes: 0 pass, 1 mismatch, 2 no baseline for this key, 3 non-deterministic, 4 usage or environment error.

            Examples:
              repro check
              repro check --config chapter --device cuda
              repro check --json > verdict.json
            """);
        CliOptions.AddTraining(command);
        command.Options.Add(CliOptions.Snapshots);
        command.Options.Add(CliOptions.Test);
        command.Options.Add(noRerun);
        command.SetAction(result =>
        {
            var output = new Output(result.GetValue(CliOptions.Json));
            var check = CliOptions.CheckOf(result);
            var store = CliOptions.StoreOf(result);
            var test = check.TestIn(store, CliOptions.TestOf(result));
            if (CliTraining.StopBeforeTraining(result, output, check, store, test)) return ExitCodes.Pass;
            CliTraining.Preflight(check, store, test);
            var run = CliTraining.Train(output, check);
            Func<TrainingFingerprint>? rerun = result.GetValue(noRerun) ? null : () =>
            {
                output.Line("Numbers moved; training again to tell drift from non-determinism...");
                return CliTraining.Train(output, check, check.Name + " (re-run)").Fingerprint;
            };
            string? unavailable;
            using (var probe = check.Create()) unavailable = OtherProcessRuns.Unavailable(probe);
            var outcome = BaselineCheck.Verify(store, test, run, rerun: rerun,
                elsewhere: rerun is null || unavailable is not null ? null : () => OtherProcessRuns.Of(check.Create, output.Line),
                elsewhereUnavailable: rerun is null ? "--no-rerun" : unavailable);
            var report = Repro.Reports.ReportWriter.TryWrite(store, outcome);
            output.Line(outcome.Message + (report is null ? "" : $"Report: {report}\n"));
            output.Document(new { status = outcome.Status, outcome.Test, outcome.Key, outcome.VerifiedPath, outcome.ReceivedPath, report, comparison = outcome.Comparison, drift = outcome.Drift, message = outcome.Message });
            var verdict = outcome.Status switch
            {
                BaselineStatus.Passed => ("[green]PASS[/]", "PASS"),
                BaselineStatus.Accepted => ("[green]ACCEPTED[/]", "ACCEPTED"),
                BaselineStatus.Missing => ("[yellow]NO BASELINE[/]", "NO BASELINE"),
                BaselineStatus.NonDeterministic => ("[red]NON-DETERMINISTIC[/]", "NON-DETERMINISTIC"),
                _ => ("[red]MISMATCH[/]", "MISMATCH"),
            };
            output.Markup($"{verdict.Item1} {Spectre.Console.Markup.Escape(test)} on {Spectre.Console.Markup.Escape(outcome.Key)}", $"{verdict.Item2} {test} on {outcome.Key}");
            return ExitCodeOf(outcome.Status);
        });
        return command;
    }

    /// <summary>
    /// The documented exit code of a check verdict. Separate from the command so that every status,
    /// including NonDeterministic (which a real run cannot be made to produce on demand), is tested.
    /// </summary>
    internal static int ExitCodeOf(BaselineStatus status) => status switch
    {
        BaselineStatus.Passed or BaselineStatus.Accepted => ExitCodes.Pass,
        BaselineStatus.Missing => ExitCodes.NoBaseline,
        BaselineStatus.NonDeterministic => ExitCodes.NonDeterministic,
        BaselineStatus.Mismatch => ExitCodes.Mismatch,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "A new BaselineStatus needs its exit code documented and mapped here."),
    };
}
