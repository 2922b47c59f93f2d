namespace Repro;

/// <summary>The metric names of fingerprints: per-epoch series and final values, by name.</summary>
internal static class MetricSeries
{
    /// <summary>Epoch metric names in the order the run reported them (those of its first epoch).</summary>
    public static IReadOnlyList<string> EpochMetrics(TrainingFingerprint fingerprint) =>
        fingerprint.Epochs.Count == 0 ? [] : [.. fingerprint.Epochs[0].Metrics.Keys];

    /// <summary>Final metric names in the order the run reported them.</summary>
    public static IReadOnlyList<string> FinalMetrics(TrainingFingerprint fingerprint) => [.. fingerprint.Final.Keys];

    /// <summary>One metric's value per epoch (NaN where an epoch lacks it).</summary>
    public static IReadOnlyList<double> Series(TrainingFingerprint fingerprint, string metric) =>
        [.. fingerprint.Epochs.Select(e => e.Metrics.TryGetValue(metric, out var v) ? v : double.NaN)];

    /// <summary>Names that measure a loss (contain "loss"); drift reports compare these first.</summary>
    public static IReadOnlyList<string> LossMetrics(TrainingFingerprint fingerprint)
    {
        var all = EpochMetrics(fingerprint);
        var losses = all.Where(m => m.Contains("loss", StringComparison.OrdinalIgnoreCase)).ToList();
        return losses.Count > 0 ? losses : all;
    }
}
