using System.CommandLine;

namespace Repro.Cli.Commands;

internal static class DiffCommand
{
    internal static Command Create()
    {
        var command = new Command("diff", """
            Show how received runs differ from their verified baselines (the same table a failing test shows).
            With --from, the received runs in CI artifacts (what 'repro approve --from' would accept), every key.

            Examples:
              repro diff
              repro diff --key cpu-x86-avx2/libtorch-2.10.0-threads-2 --test dualtask-small --json
              repro diff --from ci-artifacts
            """);
        command.Options.Add(CliOptions.Key);
        command.Options.Add(CliOptions.Test);
        command.Options.Add(ApproveCommand.From);
        command.Options.Add(CliOptions.Snapshots);
        command.SetAction(result =>
        {
            var output = new Output(result.GetValue(CliOptions.Json));
            var store = CliOptions.StoreOf(result);
            var key = CliOptions.KeyOf(result);
            var test = CliOptions.TestOf(result);
            var from = result.GetValue(ApproveCommand.From);
            var pending = (from is null
                    ? store.Received().Select(r => new ReceivedRun(BaselineStore.Read(store.ReceivedPath(r.Key, r.Test)), store.ReceivedPath(r.Key, r.Test)))
                    : ReceivedArtifacts.Load(from))
                .Where(r => (key is null || r.File.Key == key) && (test is null || r.File.Test == test))
                .OrderBy(r => r.File.Key, StringComparer.Ordinal).ThenBy(r => r.File.Test, StringComparer.Ordinal)
                .ToList();
            if (pending.Count == 0)
            {
                output.Line(from is null
                    ? $"No received files under {store.Root}{(key is null ? "" : " for " + key)}: every run matched its baseline."
                    : $"No received runs in {from}{(key is null ? "" : " for " + key)}: the CI jobs passed, or the artifacts do not hold the snapshots' *.received.json files.");
                output.Document(new { differences = Array.Empty<object>() });
                return ExitCodes.Pass;
            }
            var documents = new List<object>();
            var worst = ExitCodes.Pass;
            foreach (var run in pending)
            {
                var (k, t, received) = (run.File.Key, run.File.Test, run.File);
                var header = from is null ? $"{k}/{t}" : $"{k}/{t} (from {run.Source}; run: {received.Origin?.ToString() ?? "not recorded"})";
                var twin = SameNumbers(store, received);
                var verified = store.ReadVerified(k, t);
                if (verified is null)
                {
                    var drift = DriftReport.Against(store, t, k, received.Fingerprint);
                    output.Line($"{header}: no verified baseline yet.\n{drift.Render()}{Twin(twin)}");
                    documents.Add(new { key = k, test = t, source = run.Source, origin = received.Origin, status = "missing", sameNumbersAs = twin, drift });
                    worst = Math.Max(worst, ExitCodes.NoBaseline);
                    continue;
                }
                var comparison = FingerprintComparer.Compare(verified, received);
                var rendered = DivergenceReport.Render(comparison, store.BaselinePath(k, t) ?? store.VerifiedPath(k, t)).TrimEnd('\n') + "\n";
                output.Line($"{header}:\n{rendered}{(comparison.Passed ? "" : Twin(twin))}");
                documents.Add(new { key = k, test = t, source = run.Source, origin = received.Origin, status = comparison.Passed ? "same" : "mismatch", sameNumbersAs = twin, comparison });
                if (!comparison.Passed) worst = Math.Max(worst, ExitCodes.Mismatch);
            }
            output.Document(new { differences = documents });
            return worst == ExitCodes.NoBaseline ? ExitCodes.NoBaseline : worst;
        });
        return command;
    }

    // Approving a run that equals another key's baseline bit for bit records an alias: say so before.
    static string? SameNumbers(BaselineStore store, BaselineFile received) =>
        received.Envelope is not null ? null : store.VerifiedOf(received.Test, received.Key)
            .Where(other => other.Envelope is null && FingerprintDigest.Of(other.Fingerprint) == FingerprintDigest.Of(received.Fingerprint))
            .Select(other => other.Key).FirstOrDefault();

    static string Twin(string? key) => key is null ? "" : $"Bit-identical to the baseline of {key}: approving records this key as sharing it.\n";
}
