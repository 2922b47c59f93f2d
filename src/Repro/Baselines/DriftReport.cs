using System.Globalization;
using System.Text;

namespace Repro;

/// <summary>How far a run is from the baselines of other environment keys ("new numbers, but within X of the H100").</summary>
internal sealed record DriftReport(IReadOnlyList<DriftReport.Entry> Entries)
{
    /// <summary>Largest relative difference of the loss metrics against one other key, with where it happened.</summary>
    public sealed record Entry(string Key, double MaxRelativeLossDifference, int Epoch, string Metric, IReadOnlyList<double> PerEpoch);

    public static DriftReport Against(BaselineStore store, string test, string exceptKey, TrainingFingerprint current)
    {
        var entries = new List<Entry>();
        foreach (var other in store.VerifiedOf(test, exceptKey))
        {
            var perEpoch = new List<double>();
            double worst = -1; int worstEpoch = 0; var worstMetric = "";
            var epochs = Math.Min(other.Fingerprint.Epochs.Count, current.Epochs.Count);
            for (var e = 0; e < epochs; e++)
            {
                var epochWorst = 0.0;
                foreach (var metric in MetricSeries.LossMetrics(current))
                {
                    if (!other.Fingerprint.Epochs[e].Metrics.TryGetValue(metric, out var a) || !current.Epochs[e].Metrics.TryGetValue(metric, out var b)) continue;
                    var relative = a == b ? 0 : Math.Abs(b - a) / Math.Max(Math.Abs(a), double.Epsilon);
                    epochWorst = Math.Max(epochWorst, relative);
                    if (relative > worst) (worst, worstEpoch, worstMetric) = (relative, current.Epochs[e].Epoch, metric);
                }
                perEpoch.Add(epochWorst);
            }
            entries.Add(new Entry(other.Key, Math.Max(worst, 0), worstEpoch, worstMetric, perEpoch));
        }
        return new DriftReport(entries);
    }

    public string Render()
    {
        if (Entries.Count == 0) return "No other environment has a baseline of this test to compare with.\n";
        var text = new StringBuilder("Drift against other environments' baselines (max relative loss difference):\n");
        foreach (var e in Entries)
            text.Append("  ").Append(e.Key).Append(": ")
                .Append(e.MaxRelativeLossDifference.ToString("0.###E+0", CultureInfo.InvariantCulture))
                .Append(e.MaxRelativeLossDifference > 0 ? $" (epoch {e.Epoch}, {e.Metric})" : " (identical losses)")
                .Append("; per epoch ").AppendJoin(", ", e.PerEpoch.Select(v => v.ToString("0.##E+0", CultureInfo.InvariantCulture))).Append('\n');
        return text.ToString();
    }
}
