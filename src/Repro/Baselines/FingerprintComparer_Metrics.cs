namespace Repro;

internal static partial class FingerprintComparer
{
    // Every epoch metric and final metric of the baseline against the run: under the calibrated envelope
    // where the baseline has one for the metric, else under the check's tolerance.
    static (List<MetricDifference> Differences, List<string> Missing, List<string> Added) CompareMetrics(
        TrainingFingerprint expected, TrainingFingerprint current, ComparisonOptions options, NoiseEnvelope? envelope)
    {
        var differences = new List<MetricDifference>();
        var missing = new List<string>();
        var epochs = Math.Min(expected.Epochs.Count, current.Epochs.Count);
        for (var e = 0; e < epochs; e++)
            foreach (var (metric, value) in expected.Epochs[e].Metrics)
            {
                if (current.Epochs[e].Metrics.TryGetValue(metric, out var now)) Check(metric, e, expected.Epochs[e].Epoch, value, now);
                else if (!missing.Contains(metric)) missing.Add(metric);
            }
        foreach (var (metric, value) in expected.Final)
        {
            if (current.Final.TryGetValue(metric, out var now)) Check(metric, 0, null, value, now);
            else if (!missing.Contains(metric)) missing.Add(metric);
        }
        var added = MetricSeries.EpochMetrics(current).Concat(current.Final.Keys)
            .Where(m => !MetricSeries.EpochMetrics(expected).Contains(m) && !expected.Final.ContainsKey(m)).ToList();
        return (differences, missing, added);

        void Check(string metric, int index, int? epoch, double baselineValue, double currentValue)
        {
            if (envelope is not null && envelope.Metrics.ContainsKey(metric))
            {
                if (!envelope.Contains(metric, index, currentValue, out var band))
                    differences.Add(new MetricDifference(epoch, metric, baselineValue, currentValue, $"envelope [{band.Min:G6}, {band.Max:G6}] of {envelope.Runs} runs"));
                return;
            }
            var tolerance = options.For(metric);
            if (!tolerance.Accepts(baselineValue, currentValue))
                differences.Add(new MetricDifference(epoch, metric, baselineValue, currentValue, tolerance.ToString()));
        }
    }
}
