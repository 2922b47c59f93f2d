using System.Text.RegularExpressions;
using Repro.Reports;
using Xunit;

namespace Repro.Reports.Tests;

// What 'repro check' and 'repro report' write for a mismatch, built from the committed CPU baseline
// and a copy whose numbers moved (no training needed).
public sealed class ReportOutputTests
{
    static readonly BaselineFile Baseline = BaselineStore.Read(
        Path.Combine(RepoPaths.Root, "snapshots", "cpu-x86-avx2", "libtorch-2.10.0-threads-2", "dualtask-small.verified.json"));

    static ReportInput Mismatch()
    {
        // Every epoch metric 1% higher: more differences than the summary table shows.
        var moved = Baseline.Fingerprint with
        {
            Epochs = [.. Baseline.Fingerprint.Epochs.Select(e => e with
            {
                Metrics = Metrics.From(e.Metrics.Select(m => new KeyValuePair<string, double>(m.Key, m.Value * 1.01))),
            })],
        };
        var run = Baseline with { Fingerprint = moved, Approval = null };
        return new ReportInput(run, Baseline, [], FingerprintComparer.Compare(Baseline, moved));
    }

    [Fact]
    public void Markdown_summary_says_how_many_differences_it_left_out()
    {
        var input = Mismatch();
        var shown = input.Comparison!.Differences.Count;

        var markdown = MarkdownSummary.Render(input);

        Assert.True(shown > 10, $"the fixture should produce more than 10 differences, got {shown}");
        Assert.Contains("**MISMATCH**", markdown);
        Assert.Contains($"... and {shown - 10} more differences", markdown);
    }

    [Fact]
    public void Charts_label_every_series_on_whole_epochs_with_a_sans_serif_fallback()
    {
        var svg = LossCharts.Curves(Mismatch(), "totalLoss");
        var texts = Regex.Matches(svg, @"<text[^>]*>\s*([^<]*?)\s*</text>").Select(m => m.Groups[1].Value).ToList();
        var fonts = Regex.Matches(svg, "font-family=\"([^\"]*)\"").Select(m => m.Groups[1].Value).Distinct().ToList();

        Assert.Contains("this run", texts);
        Assert.Contains("baseline " + Baseline.Key, texts);
        // Three epochs: ticks 1, 2, 3 and never 1.5 or 2.5.
        Assert.DoesNotContain(texts, t => Regex.IsMatch(t, @"^\d\.\d$"));
        Assert.Contains("3", texts);
        Assert.NotEmpty(fonts);
        Assert.All(fonts, f => Assert.EndsWith(", sans-serif", f));
    }
}
