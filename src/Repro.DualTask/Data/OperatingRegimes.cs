namespace Repro.DualTask;

/// <summary>
/// Operating regimes found from the settings columns. C-MAPSS flies six discrete flight conditions
/// (altitude, Mach, throttle) with tiny jitter, so rows are grouped by (round(setting1),
/// round(setting3)); the group means become the centres and every row, training or test, goes to
/// the nearest centre. Groups are sorted by key, so regime ids never depend on row order or hashing.
/// </summary>
internal sealed class OperatingRegimes
{
    const int MaxRegimes = 12;
    readonly double[] _centres;
    readonly double[] _scale;

    OperatingRegimes(double[] centres, double[] scale)
    {
        _centres = centres;
        _scale = scale;
    }

    public int Count => _centres.Length / EngineRun.SettingCount;

    public ReadOnlySpan<double> Centre(int regime) => _centres.AsSpan(regime * EngineRun.SettingCount, EngineRun.SettingCount);

    public static OperatingRegimes Fit(IReadOnlyList<EngineRun> runs)
    {
        var groups = new SortedDictionary<(long, long), (double S1, double S2, double S3, long N)>();
        var min = new double[EngineRun.SettingCount];
        var max = new double[EngineRun.SettingCount];
        Array.Fill(min, double.PositiveInfinity);
        Array.Fill(max, double.NegativeInfinity);
        foreach (var run in runs)
        {
            for (var row = 0; row < run.Length; row++)
            {
                var r = run.Row(row);
                var key = ((long)Math.Round((double)r[0]), (long)Math.Round((double)r[2]));
                var g = groups.GetValueOrDefault(key);
                groups[key] = (g.S1 + r[0], g.S2 + r[1], g.S3 + r[2], g.N + 1);
                for (var s = 0; s < min.Length; s++) { min[s] = Math.Min(min[s], r[s]); max[s] = Math.Max(max[s], r[s]); }
            }
        }
        if (groups.Count == 0) throw new ReproException("No training rows to find operating regimes from; the dataset needs at least one training unit.");
        if (groups.Count > MaxRegimes)
            throw new ReproException($"The settings columns form {groups.Count} groups by (round(setting1), round(setting3)); C-MAPSS has 1 or 6 operating regimes. " +
                "Check that columns 3..5 hold setting1..3.");
        var centres = new List<double>();
        foreach (var g in groups.Values) centres.AddRange([g.S1 / g.N, g.S2 / g.N, g.S3 / g.N]);
        // Scale by each setting's range so altitude (0..42) does not drown out Mach (0..0.84).
        var scale = new double[EngineRun.SettingCount];
        for (var s = 0; s < scale.Length; s++) scale[s] = max[s] - min[s] > 1e-6 ? max[s] - min[s] : 1;
        return new OperatingRegimes(centres.ToArray(), scale);
    }

    public int Assign(ReadOnlySpan<float> row)
    {
        var best = 0;
        var bestDistance = double.PositiveInfinity;
        for (var k = 0; k < Count; k++)
        {
            var distance = 0.0;
            for (var s = 0; s < EngineRun.SettingCount; s++)
            {
                var d = (row[s] - _centres[k * EngineRun.SettingCount + s]) / _scale[s];
                distance += d * d;
            }
            if (distance < bestDistance) { best = k; bestDistance = distance; }
        }
        return best;
    }
}
