namespace Repro.Baselines;

/// <summary>
/// Per-epoch bands measured from repeated runs (<c>repro calibrate</c>), for runs that are not
/// bit-exact by design. A value passes inside [min - margin, max + margin], margin = Widening x (max - min).
/// </summary>
public sealed record NoiseEnvelope
{
    public required int Runs { get; init; }
    public double Widening { get; init; } = 0.5;
    public required IReadOnlyDictionary<string, IReadOnlyList<Band>> Metrics { get; init; }

    public sealed record Band(double Min, double Max);

    /// <summary>Bands from several fingerprints of the same config (epoch i of every run forms band i).</summary>
    public static NoiseEnvelope From(IReadOnlyList<TrainingFingerprint> runs, double widening = 0.5)
    {
        if (runs.Count < 2) throw new ReproException($"Calibration needs at least 2 runs to measure noise (got {runs.Count}); use --runs 5 or more.");
        ValidateWidening(widening);
        var epochs = runs.Min(r => r.Epochs.Count);
        var metrics = new SortedDictionary<string, IReadOnlyList<Band>>(StringComparer.Ordinal);
        foreach (var metric in MetricSeries.EpochMetrics(runs[0]))
            metrics[metric] = [.. Enumerable.Range(0, epochs).Select(e => BandOf(runs.Select(r => r.Epochs[e].Metrics[metric])))];
        foreach (var metric in MetricSeries.FinalMetrics(runs[0]))
            metrics[metric] = [BandOf(runs.Select(r => r.Final[metric]))];
        return new NoiseEnvelope { Runs = runs.Count, Widening = widening, Metrics = metrics };
    }

    /// <summary>Whether the value lies in the widened band of this metric at this position.</summary>
    public bool Contains(string metric, int index, double value, out Band band)
    {
        band = new Band(double.NaN, double.NaN);
        if (!Metrics.TryGetValue(metric, out var bands) || index >= bands.Count) return false;
        band = bands[index];
        var margin = Widening * (band.Max - band.Min);
        return value >= band.Min - margin && value <= band.Max + margin;
    }

    static Band BandOf(IEnumerable<double> values)
    {
        var list = values.ToList();
        return new Band(list.Min(), list.Max());
    }

    /// <summary>Refuses a widening that is negative, NaN or infinite (a band narrower than measured, or none).</summary>
    internal static void ValidateWidening(double widening)
    {
        if (!(widening >= 0) || double.IsInfinity(widening))
            throw new ReproException($"--widening {widening}: the margin around the measured band must be a finite number, 0 or more (0.5 widens the band by half its width).");
    }
}
