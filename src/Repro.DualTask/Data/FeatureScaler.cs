namespace Repro.DualTask;

/// <summary>
/// Turns a run into model features: the 14 informative sensors z-scored per operating regime, plus
/// the cycle number divided by the longest training life. Statistics come from the training units
/// only, so validation and test data never leak into the inputs.
/// </summary>
internal sealed class FeatureScaler
{
    public static readonly int[] Sensors = [2, 3, 4, 7, 8, 9, 11, 12, 13, 14, 15, 17, 20, 21];
    public const int Channels = 15;

    readonly double[] _mean;
    readonly double[] _std;
    readonly double _cycleScale;

    FeatureScaler(OperatingRegimes regimes, double[] mean, double[] std, double cycleScale)
    {
        Regimes = regimes;
        _mean = mean;
        _std = std;
        _cycleScale = cycleScale;
    }

    public OperatingRegimes Regimes { get; }

    public static FeatureScaler Fit(IReadOnlyList<EngineRun> runs)
    {
        var regimes = OperatingRegimes.Fit(runs);
        var n = Sensors.Length;
        var count = new long[regimes.Count];
        var sum = new double[regimes.Count * n];
        var maxCycle = 1;
        // Two sequential passes in row order: the same sums in the same order on every machine,
        // and no catastrophic cancellation from the one-pass sum-of-squares formula.
        foreach (var run in runs)
        {
            maxCycle = Math.Max(maxCycle, run.Cycles[^1]);
            for (var row = 0; row < run.Length; row++)
            {
                var k = regimes.Assign(run.Row(row));
                count[k]++;
                for (var c = 0; c < n; c++) sum[k * n + c] += run.Sensor(row, Sensors[c]);
            }
        }
        var mean = new double[sum.Length];
        for (var i = 0; i < mean.Length; i++) mean[i] = count[i / n] > 0 ? sum[i] / count[i / n] : 0;
        var squares = new double[sum.Length];
        foreach (var run in runs)
        {
            for (var row = 0; row < run.Length; row++)
            {
                var k = regimes.Assign(run.Row(row));
                for (var c = 0; c < n; c++)
                {
                    var d = run.Sensor(row, Sensors[c]) - mean[k * n + c];
                    squares[k * n + c] += d * d;
                }
            }
        }
        var std = new double[sum.Length];
        for (var i = 0; i < std.Length; i++)
        {
            var s = count[i / n] > 0 ? Math.Sqrt(squares[i] / count[i / n]) : 0;
            std[i] = s > 1e-9 ? s : 1; // a sensor constant within a regime carries no signal; leave it at 0
        }
        return new FeatureScaler(regimes, mean, std, maxCycle);
    }

    /// <summary>Means and standard deviations per regime and sensor, then the cycle scale: what Transform applies.</summary>
    public double[] Statistics() => [.. _mean, .. _std, _cycleScale];

    /// <summary>Row-major <c>[run.Length, Channels]</c>.</summary>
    public float[] Transform(EngineRun run)
    {
        var n = Sensors.Length;
        var features = new float[run.Length * Channels];
        for (var row = 0; row < run.Length; row++)
        {
            var k = Regimes.Assign(run.Row(row));
            var output = features.AsSpan(row * Channels, Channels);
            for (var c = 0; c < n; c++)
                output[c] = (float)((run.Sensor(row, Sensors[c]) - _mean[k * n + c]) / _std[k * n + c]);
            output[n] = (float)(run.Cycles[row] / _cycleScale);
        }
        return features;
    }
}
