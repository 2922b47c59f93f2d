using Xunit;

namespace Repro.Tests.Baselines;

// The divergence table a failing test and 'repro diff' print, whole, as approved text: a change to
// any line users read is a reviewed diff (fragments alone would let the rest of the text rot).
public sealed class DivergenceReportSnapshotTests
{
    [Fact]
    public void The_divergence_reports_read_as_approved()
    {
        var baseline = BaselineFiles.Fingerprint();
        var cases = new (string Title, TrainingFingerprint Run)[]
        {
            ("one ulp in a loss at epoch 2", baseline with { Epochs = [.. baseline.Epochs.Select((e, i) => i == 1 ? e.With("rulLoss", Math.BitIncrement(e.Metrics["rulLoss"])) : e)] }),
            ("a moved tensor, equal metrics", BaselineFiles.Fingerprint(tensorHash: "zz")),
            ("another batch order", BaselineFiles.Fingerprint(order: "other")),
            ("other data", BaselineFiles.Fingerprint(data: "other")),
        };
        var text = string.Join("\n", cases.Select(c =>
            $"## {c.Title}\n{DivergenceReport.Render(FingerprintComparer.Compare(BaselineFiles.File(baseline), c.Run), "snapshots/key/Test.verified.json")}"));

        Snapshot.Match(text, "divergence-reports");
    }
}
