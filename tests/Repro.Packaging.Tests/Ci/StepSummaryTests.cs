using Repro.Reports;
using Repro.Xunit;
using Xunit;
using static Repro.Tests.Support.DualTask.Fleet;

namespace Repro.Packaging.Tests.Ci;

// .ci/step-summary, which every CI test job runs into $GITHUB_STEP_SUMMARY: the report of each run that
// did not match, the commands that accept it from the artifacts, and the baseline matrix.
[Collection(ReproCollection.Name)]
public sealed class StepSummaryTests
{
    static string Summarise(TempSnapshots snapshots)
    {
        var file = Path.Combine(snapshots.Root, "summary.md");
        var (exitCode, output) = ChildProcess.Run("bash", [Path.Combine(RepoPaths.Root, ".ci", "step-summary"), file, "Repro on the test runner"],
            environment: e => e["REPRO_SNAPSHOTS"] = snapshots.Root);
        Assert.True(exitCode == 0, output);
        return File.ReadAllText(file);
    }

    [Fact]
    public void The_summary_holds_each_failed_runs_report_the_commands_that_accept_it_and_the_baseline_matrix()
    {
        using var snapshots = new TempSnapshots();
        snapshots.Write(Run(H100));
        var received = Run(H200, loss: 2.0).OnCi("99");
        snapshots.Write(received, BaselineStore.ReceivedSuffix);
        ReportWriter.Write(ReportInput.For(snapshots.Store, received), Path.Combine(snapshots.Root, H200.Key), Test + ".received.report");

        var summary = Summarise(snapshots);

        Assert.StartsWith("## Repro on the test runner\n", summary);
        Assert.Contains("1 run(s) did not match a baseline", summary);
        Assert.Contains("dotnet run --project src/Repro.Cli -- approve --from ci-artifacts", summary);
        Assert.Contains($"### Repro: {Test} on `{H200.Key}`: **NO BASELINE**", summary);
        Assert.Contains("Run: github-actions run 99 (job gpu, commit 0123456789ab, machine runner-h200) (https://ci.example/runs/99)", summary);
        Assert.Contains("### Repro baselines", summary);
        Assert.Contains($"| `{H100.Key}` | `{H200.Key}` |", summary);
        Assert.Contains("received pending", summary);
    }

    [Fact]
    public void Without_received_runs_the_summary_says_every_check_matched()
    {
        using var snapshots = new TempSnapshots();
        snapshots.Write(Run(H100));

        var summary = Summarise(snapshots);

        Assert.Contains("No received files: every baseline check that ran matched.", summary);
        Assert.DoesNotContain("approve --from", summary);
        Assert.Contains($"| {Test} | yes |", summary);
    }
}
