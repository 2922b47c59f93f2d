using System.CommandLine;

namespace Repro.Cli.Commands;

internal static class DiffCommand
{
    internal static Command Create()
    {
        var command = new Command("diff", """
            Show how received runs differ from their verified baselines (the same table a failing test shows).

            Examples:
              repro diff
              repro diff --key cpu-intel-avx2/libtorch-2.10.0-threads-2 --test dualtask-small --json
            """);
        command.Options.Add(CliOptions.Key);
        command.Options.Add(CliOptions.Test);
        command.Options.Add(CliOptions.Snapshots);
        command.SetAction(result =>
        {
            var output = new Output(result.GetValue(CliOptions.Json));
            var store = CliOptions.StoreOf(result);
            var key = CliOptions.KeyOf(result);
            var test = CliOptions.TestOf(result);
            var pending = store.Received().Where(r => (key is null || r.Key == key) && (test is null || r.Test == test)).ToList();
            if (pending.Count == 0)
            {
                output.Line($"No received files under {store.Root}{(key is null ? "" : " for " + key)}: every run matched its baseline.");
                output.Document(new { differences = Array.Empty<object>() });
                return ExitCodes.Pass;
            }
            var documents = new List<object>();
            var worst = ExitCodes.Pass;
            foreach (var (k, t) in pending)
            {
                var received = BaselineStore.Read(store.ReceivedPath(k, t));
                var verified = store.ReadVerified(k, t);
                if (verified is null)
                {
                    var drift = DriftReport.Against(store, t, k, received.Fingerprint);
                    output.Line($"{k}/{t}: no verified baseline yet.\n{drift.Render()}");
                    documents.Add(new { key = k, test = t, status = "missing", drift });
                    worst = Math.Max(worst, ExitCodes.NoBaseline);
                    continue;
                }
                var comparison = FingerprintComparer.Compare(verified, received.Fingerprint);
                output.Line($"{k}/{t}:\n{DivergenceReport.Render(comparison, store.VerifiedPath(k, t))}");
                documents.Add(new { key = k, test = t, status = comparison.Passed ? "same" : "mismatch", comparison });
                if (!comparison.Passed) worst = Math.Max(worst, ExitCodes.Mismatch);
            }
            output.Document(new { differences = documents });
            return worst == ExitCodes.NoBaseline ? ExitCodes.NoBaseline : worst;
        });
        return command;
    }
}
