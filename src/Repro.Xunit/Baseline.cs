using System.Collections.Concurrent;
using Repro.Reports;
using Xunit;

namespace Repro.Xunit;

/// <summary>
/// The assertion: <c>await Baseline.VerifyAsync&lt;MyCheck&gt;()</c> trains the check (once per test
/// run), compares with <c>snapshots/{key}/{TestClass}.{TestMethod}.verified.json</c>, and fails with
/// the divergence table, the received file, the report and the exact command to accept.
/// </summary>
public static partial class Baseline
{
    static readonly ConcurrentDictionary<string, (string Check, string SettingsHash)> Owners = new(StringComparer.Ordinal);

    // libtorch's generators and determinism switches are process-wide: trainings of tests that xunit runs
    // in parallel take turns here, so test classes need no collection of their own.
    static readonly SemaphoreSlim Turn = new(1, 1);

    /// <summary>Verifies a check built by its public parameterless constructor.</summary>
    /// <returns>The verdict of a run that matches (or was accepted); a run that does not match throws <see cref="BaselineMismatchException"/>.</returns>
    public static Task<Verdict> VerifyAsync<TCheck>(BaselineSettings? settings = null)
        where TCheck : TrainingCheck, new() =>
        VerifyAsync(() => new TCheck(), settings);

    /// <summary>
    /// Verifies the check <paramref name="create"/> builds; it is called again (a fresh instance) when
    /// the run does not match, to tell drift from non-determinism.
    /// </summary>
    /// <remarks>When that re-run is identical it also trains in a second process (the test project's own
    /// executable, which Repro.Xunit's build files prepare) and a perturbed one; a mismatch is called drift,
    /// with the command that accepts it, only when all of them reproduced it.</remarks>
    /// <returns>The verdict of a run that matches (or was accepted); a run that does not match throws <see cref="BaselineMismatchException"/>.</returns>
    public static Task<Verdict> VerifyAsync(Func<TrainingCheck> create, BaselineSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(create);
        var name = settings?.Name ?? BaselineName.Current();
        return InTurn(() =>
        {
            string? unavailable;
            using (var probe = create() ?? throw new ReproException("The check factory returned null; return a new check instance."))
                unavailable = OtherProcessRuns.Unavailable(probe);
            return Verify(TrainingRuns.Get(create), () => TrainingRuns.TrainAgain(create), name, settings,
                unavailable is null ? () => OtherProcessRuns.Of(create) : null, unavailable);
        });
    }

    /// <summary>Verifies a run that has already trained; <paramref name="rerun"/>, when given, trains it again on a mismatch.</summary>
    /// <remarks>No second process can rebuild a run given this way, so a mismatch it reproduces is reported unsettled, never as drift.</remarks>
    public static Task<Verdict> VerifyAsync(TrainedRun run, Func<TrainingFingerprint>? rerun = null, BaselineSettings? settings = null)
    {
        var name = settings?.Name ?? BaselineName.Current();
        return InTurn(() => Verify(run, rerun, name, settings, null, "the run was trained before the assertion, so no other process can rebuild it; " +
            "verify the check itself with VerifyAsync<TCheck>() or VerifyAsync(() => new TCheck())"));
    }

    static async Task<Verdict> InTurn(Func<Verdict> verify)
    {
        await Turn.WaitAsync(TestContext.Current.CancellationToken).ConfigureAwait(false);
        try { return verify(); }
        finally { Turn.Release(); }
    }

    static Verdict Verify(TrainedRun run, Func<TrainingFingerprint>? rerun, string name, BaselineSettings? settings,
        Func<IEnumerable<OtherRun>>? elsewhere, string? elsewhereUnavailable)
    {
        ArgumentNullException.ThrowIfNull(run);
        var store = Store(settings);
        ClaimBaseline(store, name, run);
        return Report(store, BaselineCheck.Verify(store, name, run, rerun: rerun, isTest: true, elsewhere: elsewhere, elsewhereUnavailable: elsewhereUnavailable), run.Fingerprint);
    }

    static BaselineStore Store(BaselineSettings? settings) =>
        settings?.SnapshotsDirectory is { } directory ? new BaselineStore(directory, $"BaselineSettings.SnapshotsDirectory='{directory}'") : BaselineStore.Default();

    static Verdict Report(BaselineStore store, BaselineOutcome outcome, TrainingFingerprint fingerprint)
    {
        if (outcome.Succeeded)
        {
            var accepted = outcome.Status == BaselineStatus.Accepted;
            if (accepted) TestContext.Current.SendDiagnosticMessage(outcome.Message);
            return new Verdict(accepted, outcome.Test, outcome.Key, outcome.VerifiedPath, fingerprint);
        }
        var report = ReportWriter.TryWrite(store, outcome);
        DiffTool.TryLaunch(outcome);
        throw new BaselineMismatchException(outcome.Message + (report is null ? "" : $"Report: {report}\n"));
    }

    // One baseline file holds one check: two checks with other settings verified under the same
    // name in one test run would overwrite each other's received files and baselines.
    static void ClaimBaseline(BaselineStore store, string name, TrainedRun run)
    {
        var owner = (run.Name, run.Fingerprint.ConfigHash);
        var claimed = Owners.GetOrAdd(store.Root + "|" + name, owner);
        if (claimed != owner)
            throw new ReproException($"Two checks verify against the same baseline '{name}' in {store.Root}: " +
                $"'{claimed.Check}' (config {claimed.SettingsHash}) and '{owner.Item1}' (config {owner.Item2}). Give each its own test method, or pass a distinct name: " +
                "new BaselineSettings { Name = \"...\" }.");
    }
}
