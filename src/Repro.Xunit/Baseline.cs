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
    public static Task VerifyAsync<TCheck>(ComparisonOptions? options = null, string? name = null, BaselineStore? store = null)
        where TCheck : TrainingCheck, new() =>
        VerifyAsync(() => new TCheck(), options, name, store);

    /// <summary>
    /// Verifies the check <paramref name="create"/> builds; it is called again (a fresh instance) when
    /// the run does not match, to tell drift from non-determinism.
    /// </summary>
    /// <remarks>When that re-run is identical it also trains in a second process (the test project's own
    /// executable, which Repro.Xunit's build files prepare) and a perturbed one; a mismatch is called drift,
    /// with the command that accepts it, only when all of them reproduced it.</remarks>
    public static Task VerifyAsync(Func<TrainingCheck> create, ComparisonOptions? options = null, string? name = null, BaselineStore? store = null)
    {
        ArgumentNullException.ThrowIfNull(create);
        name ??= CurrentTestName();
        return InTurn(() =>
        {
            string? unavailable;
            using (var probe = create() ?? throw new ReproException("The check factory returned null; return a new check instance."))
                unavailable = OtherProcessRuns.Unavailable(probe);
            Verify(TrainingRuns.Get(create), () => TrainingRuns.TrainAgain(create), options, name, store,
                unavailable is null ? () => OtherProcessRuns.Of(create) : null, unavailable);
        });
    }

    /// <summary>Verifies a run that has already trained; <paramref name="rerun"/>, when given, trains it again on a mismatch.</summary>
    /// <remarks>No second process can rebuild a run given this way, so a mismatch it reproduces is reported unsettled, never as drift.</remarks>
    public static Task VerifyAsync(TrainedRun run, Func<TrainingFingerprint>? rerun = null, ComparisonOptions? options = null, string? name = null, BaselineStore? store = null)
    {
        name ??= CurrentTestName();
        return InTurn(() => Verify(run, rerun, options, name, store, null, "the run was trained before the assertion, so no other process can rebuild it; verify the check itself with VerifyAsync<TCheck>() or VerifyAsync(() => new TCheck())"));
    }

    static async Task InTurn(Action verify)
    {
        await Turn.WaitAsync(TestContext.Current.CancellationToken).ConfigureAwait(false);
        try { verify(); }
        finally { Turn.Release(); }
    }

    static void Verify(TrainedRun run, Func<TrainingFingerprint>? rerun, ComparisonOptions? options, string name, BaselineStore? store,
        Func<IEnumerable<OtherRun>>? elsewhere, string? elsewhereUnavailable)
    {
        ArgumentNullException.ThrowIfNull(run);
        store ??= BaselineStore.Default();
        ClaimBaseline(store, name, run);
        Report(store, BaselineCheck.Verify(store, name, run, options, rerun, isTest: true, elsewhere: elsewhere, elsewhereUnavailable: elsewhereUnavailable));
    }

    static void Report(BaselineStore store, BaselineOutcome outcome)
    {
        if (outcome.Succeeded)
        {
            if (outcome.Status == BaselineStatus.Accepted) TestContext.Current.SendDiagnosticMessage(outcome.Message);
            return;
        }
        var report = ReportWriter.TryWrite(store, outcome);
        DiffTool.TryLaunch(outcome);
        throw new BaselineMismatchException(outcome.Message + (report is null ? "" : $"Report: {report}\n"));
    }

    /// <summary>TestClass.TestMethod of the running test (the baseline file name).</summary>
    public static string CurrentTestName()
    {
        var context = TestContext.Current;
        var method = context.TestMethod?.MethodName
            ?? throw new InvalidOperationException("Baseline.VerifyAsync needs a running xunit test, or an explicit name.");
        var type = context.TestClass?.TestClassName ?? "Test";
        return type[(type.LastIndexOf('.') + 1)..] + "." + method;
    }

    // One baseline file holds one check: two checks with other settings verified under the same
    // name in one test run would overwrite each other's received files and baselines.
    static void ClaimBaseline(BaselineStore store, string name, TrainedRun run)
    {
        var owner = (run.Name, run.Fingerprint.ConfigHash);
        var claimed = Owners.GetOrAdd(store.Root + "|" + name, owner);
        if (claimed != owner)
            throw new ReproException($"Two checks verify against the same baseline '{name}' in {store.Root}: '{claimed.Check}' (config {claimed.SettingsHash}) and '{owner.Item1}' (config {owner.Item2}). Give each its own test method, or pass a distinct name to Baseline.VerifyAsync.");
    }
}
