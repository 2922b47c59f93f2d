namespace Repro.DualTask;

/// <summary>Cuts scaled runs into fixed-length windows labelled at their last cycle.</summary>
internal static class WindowBuilder
{
    /// <summary>
    /// All windows of run-to-failure units. Ends are anchored at the last cycle and step back by the
    /// stride, so the RUL-0 window is always present; a unit shorter than the window gives one
    /// front-padded window.
    /// </summary>
    public static WindowSet Sliding(IReadOnlyList<EngineRun> runs, FeatureScaler scaler, PreprocessingOptions options)
    {
        var samples = new List<(EngineRun Run, float[] Features, int End, int Rul)>();
        foreach (var run in runs)
        {
            var features = scaler.Transform(run);
            var last = run.Length - 1;
            var first = Math.Min(options.WindowLength - 1, last);
            var firstEnd = last - (last - first) / options.Stride * options.Stride;
            for (var end = firstEnd; end <= last; end += options.Stride)
                samples.Add((run, features, end, run.Cycles[last] - run.Cycles[end]));
        }
        return Build(samples, options);
    }

    /// <summary>The last window of each (truncated) unit, labelled with the given true RUL.</summary>
    public static WindowSet Last(IReadOnlyList<EngineRun> runs, IReadOnlyList<int> rul, FeatureScaler scaler, PreprocessingOptions options)
    {
        var samples = new List<(EngineRun Run, float[] Features, int End, int Rul)>();
        for (var i = 0; i < runs.Count; i++) samples.Add((runs[i], scaler.Transform(runs[i]), runs[i].Length - 1, rul[i]));
        return Build(samples, options);
    }

    static WindowSet Build(List<(EngineRun Run, float[] Features, int End, int Rul)> samples, PreprocessingOptions options)
    {
        var w = options.WindowLength;
        const int c = FeatureScaler.Channels;
        var inputs = new float[samples.Count * w * c];
        var rul = new float[samples.Count];
        var health = new long[samples.Count];
        var units = new int[samples.Count];
        for (var i = 0; i < samples.Count; i++)
        {
            var (run, features, end, remaining) = samples[i];
            for (var t = 0; t < w; t++)
            {
                // Rows before the unit's first cycle repeat the first row: a flat start looks like an
                // engine that has not yet changed, unlike zeros, which look like a sensor failure.
                var row = Math.Max(end - w + 1 + t, 0);
                features.AsSpan(row * c, c).CopyTo(inputs.AsSpan((i * w + t) * c, c));
            }
            rul[i] = RulLabels.Capped(remaining, options.RulCap);
            health[i] = (long)RulLabels.HealthClass(remaining);
            units[i] = run.Unit;
        }
        return new WindowSet(w, c, inputs, rul, health, units);
    }
}
