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

    /// <summary>Verifies a check built by its public parameterless constructor.</summary>
    public static Task VerifyAsync<TCheck>(ComparisonOptions? options = null, string? name = null, BaselineStore? store = null)
        where TCheck : TrainingCheck, new() =>
        VerifyAsync(() => new TCheck(), options, name, store);

    /// <summary>
    /// Verifies the check <paramref name="create"/> builds; it is called again (a fresh instance) when
    /// the run does not match, to tell drift from non-determinism.
    /// </summary>
    /// <remarks>When that re-run is identical and Repro.Cli.dll is beside the tests, it also trains in a second
    /// process and a perturbed one before calling the mismatch drift.</remarks>
    public static Task VerifyAsync(Func<TrainingCheck> create, ComparisonOptions? options = null, string? name = null, BaselineStore? store = null)
    {
        ArgumentNullException.ThrowIfNull(create);
        return Verify(TrainingRuns.Get(create), () => TrainingRuns.TrainAgain(create), options, name, store, () => OtherProcesses(create));
    }

    /// <summary>Verifies a run that has already trained; <paramref name="rerun"/>, when given, trains it again on a mismatch.</summary>
    public static Task VerifyAsync(TrainedRun run, Func<TrainingFingerprint>? rerun = null, ComparisonOptions? options = null, string? name = null, BaselineStore? store = null) =>
        Verify(run, rerun, options, name, store, null);

    static Task Verify(TrainedRun run, Func<TrainingFingerprint>? rerun, ComparisonOptions? options, string? name, BaselineStore? store, Func<IEnumerable<OtherRun>>? elsewhere)
    {
        ArgumentNullException.ThrowIfNull(run);
        name ??= CurrentTestName();
        store ??= BaselineStore.Default();
        ClaimBaseline(store, name, run);
        var outcome = BaselineCheck.Verify(store, name, run, options, rerun, isTest: true, elsewhere: elsewhere);
        if (outcome.Succeeded)
        {
            if (outcome.Status == BaselineStatus.Accepted) TestContext.Current.SendDiagnosticMessage(outcome.Message);
            return Task.CompletedTask;
        }
        var report = ReportWriter.TryWrite(store, outcome);
        DiffTool.TryLaunch(outcome);
        throw new BaselineMismatchException(outcome.Message + (report is null ? "" : $"Report: {report}\n"));
    }

    static IEnumerable<OtherRun> OtherProcesses(Func<TrainingCheck> create)
    {
        using (var probe = create())
            if (!OtherProcessRuns.Available(probe)) return [];
        return OtherProcessRuns.Of(create);
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
