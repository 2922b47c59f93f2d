using Repro.Reports;
using Xunit;

namespace Repro.Xunit;

/// <summary>
/// The assertion: <c>await Baseline.VerifyAsync(config)</c> trains (once per test run), compares with
/// <c>snapshots/{key}/{TestClass}.{TestMethod}.verified.json</c>, and fails with the divergence table,
/// the received file, the report and the exact command to accept.
/// </summary>
public static class Baseline
{
    public static Task VerifyAsync(TrainingConfig config, ComparisonOptions? options = null, string? name = null, BaselineStore? store = null)
    {
        var check = TrainingRuns.Get(config);
        return VerifyAsync(check, options, name, store);
    }

    public static Task VerifyAsync(TrainedCheck check, ComparisonOptions? options = null, string? name = null, BaselineStore? store = null)
    {
        ArgumentNullException.ThrowIfNull(check);
        name ??= CurrentTestName();
        store ??= BaselineStore.Default();
        var outcome = BaselineCheck.Verify(store, name, check.Config, check.Environment, check.Fingerprint, options,
            rerun: () => TrainingRuns.TrainAgain(check.Config), isTest: true);
        if (outcome.Succeeded)
        {
            if (outcome.Status == BaselineStatus.Accepted) TestContext.Current.SendDiagnosticMessage(outcome.Message);
            return Task.CompletedTask;
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
}
