using System.CommandLine;
using Repro.Reports;

namespace Repro.Cli.Commands;

internal static class ReportCommand
{
    internal static Command Create()
    {
        var outputDir = new Option<string>("--out", "-o") { Description = "Folder for the HTML and Markdown files.", HelpName = "dir", DefaultValueFactory = _ => "artifacts/repro-report" };
        var command = new Command("report", """
            Write a self-contained HTML report (loss curves over the baseline and other keys' baselines, per-epoch
            differences, the divergence table, environments side by side) and a Markdown summary for CI.
            Reports every received run; with none pending, the verified baselines.

            Examples:
              repro report
              repro report --test dualtask-small --out /tmp/report
              cat artifacts/repro-report/*.md >> "$GITHUB_STEP_SUMMARY"
            """);
        command.Options.Add(CliOptions.Key);
        command.Options.Add(CliOptions.Test);
        command.Options.Add(CliOptions.Snapshots);
        command.Options.Add(outputDir);
        command.SetAction(result =>
        {
            var output = new Output(result.GetValue(CliOptions.Json));
            var store = CliOptions.StoreOf(result);
            var key = CliOptions.KeyOf(result);
            var test = CliOptions.TestOf(result);
            var runs = store.Received()
                .Where(r => (key is null || r.Key == key) && (test is null || r.Test == test))
                .Select(r => BaselineStore.Read(store.ReceivedPath(r.Key, r.Test)))
                .ToList();
            if (runs.Count == 0)
                runs = [.. store.AllVerified().Where(r => (key is null || r.Key == key) && (test is null || r.Test == test))
                    .Select(r => store.ReadVerified(r.Key, r.Test)!)];
            if (runs.Count == 0)
                throw new ReproException($"Nothing to report under {store.Root}{(key is null ? "" : " for " + key)}{(test is null ? "" : ", test " + test)}: run 'repro check' first, " +
                    "or check --key/--test ('repro env' prints this machine's key).");
            var written = new List<string>();
            foreach (var run in runs)
            {
                var name = (run.Key + "." + run.Test).Replace('/', '_');
                var path = ReportWriter.Write(ReportInput.For(store, run), result.GetValue(outputDir)!, name);
                written.Add(path);
                output.Line($"Wrote {path}");
            }
            output.Document(new { reports = written });
            return ExitCodes.Pass;
        });
        return command;
    }
}
