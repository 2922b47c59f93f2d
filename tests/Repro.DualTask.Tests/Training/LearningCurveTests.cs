using Repro.Reports;
using Xunit;

namespace Repro.DualTask.Tests.Training;

// Learning curves at a glance (LearningCurve), generic over any check's metrics, in the CLI's lines
// and the HTML report.
public sealed class LearningCurveTests
{
    static readonly BaselineFile Baseline = BaselineStore.Read(
        Path.Combine(RepoPaths.Root, "snapshots", "cpu-x86-avx2", "libtorch-2.10.0-threads-2", "dualtask-small.verified.json"));

    [Fact(DisplayName = "Learning curve: one block per epoch from the minimum (▁) to the maximum (█), a space for NaN, first -> last and the change")]
    public void Sparkline_and_change()
    {
        var falling = new LearningCurve("loss", [4, 3, 2, 1]);
        Assert.Equal("█▆▃▁", falling.Sparkline);
        Assert.False(falling.Flat);
        Assert.Equal("4 -> 1  █▆▃▁  -75.0%", falling.Describe());

        var gap = new LearningCurve("accuracy", [0.5, double.NaN, 0.75]);
        Assert.Equal("▁ █", gap.Sparkline);
        Assert.Equal(0.75, gap.Last);
    }

    [Fact(DisplayName = "Learning curve: a metric with the same value every epoch is flagged flat")]
    public void Flat_metric_is_flagged()
    {
        var flat = new LearningCurve("validationAccuracy", [0.361702, 0.361702, 0.361702]);
        Assert.True(flat.Flat);
        Assert.EndsWith("flat", flat.Describe());
        Assert.DoesNotContain("flat", new LearningCurve("validationRmse", [79.67, 79.64, 79.59]).Describe());
    }

    [Fact(DisplayName = "Learning curve: the summary of a committed baseline has a line per epoch metric, its final metrics and its evaluation record")]
    public void Summary_of_a_baseline()
    {
        var lines = LearningCurve.Summary(Baseline.Fingerprint);
        var metrics = MetricSeries.EpochMetrics(Baseline.Fingerprint);
        Assert.Equal($"Learning curves ({Baseline.Fingerprint.Epochs.Count} epochs, first -> last):", lines[0]);
        foreach (var metric in metrics)
        {
            var series = MetricSeries.Series(Baseline.Fingerprint, metric);
            Assert.Contains(lines, l => l.TrimStart().StartsWith(metric + " ", StringComparison.Ordinal)
                && l.Contains(LearningCurve.Format(series[0]) + " -> " + LearningCurve.Format(series[^1]), StringComparison.Ordinal));
        }
        // The small check learns since issue 22: no curve of its baseline is flat, and the summary says none is.
        Assert.DoesNotContain(lines, l => l.EndsWith("flat", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Final: testRmse ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Evaluation test: rmse ", StringComparison.Ordinal));
    }

    [Fact(DisplayName = "HTML report: a 'learning at a glance' table with each metric's sparkline and the evaluation records")]
    public void Html_report_shows_the_curves_at_a_glance()
    {
        var html = HtmlReport.Render(new ReportInput(Baseline, Baseline, [], null));
        Assert.Contains("<h2>Learning at a glance</h2>", html);
        foreach (var curve in LearningCurve.Of(Baseline.Fingerprint))
            Assert.Contains(">" + curve.Sparkline + "</td>", html);
        Assert.Contains("<li>Evaluation test: rmse ", html);
    }
}
