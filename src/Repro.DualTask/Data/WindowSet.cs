namespace Repro.DualTask;

/// <summary>
/// Model-ready samples: <see cref="Count"/> windows of <see cref="WindowLength"/> cycles by
/// <see cref="Channels"/> features, with their capped RUL, health class and source unit. The arrays
/// are exposed for zero-copy tensor creation; treat them as read-only.
/// </summary>
public sealed class WindowSet
{
    /// <summary>Checks that every array matches <paramref name="windowLength"/>, <paramref name="channels"/> and the sample count.</summary>
    public WindowSet(int windowLength, int channels, float[] inputs, float[] rul, long[] health, int[] units)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(rul);
        ArgumentNullException.ThrowIfNull(health);
        ArgumentNullException.ThrowIfNull(units);
        if (windowLength < 1 || channels < 1)
            throw new ReproException($"WindowSet needs windowLength ({windowLength}) and channels ({channels}) of at least 1.");
        var count = rul.Length;
        if (inputs.Length != (long)count * windowLength * channels || health.Length != count || units.Length != count)
            throw new ReproException($"WindowSet arrays disagree: {count} RUL values need {count * windowLength * channels} inputs ({count} x {windowLength} x {channels}), " +
                $"{count} health labels and {count} unit ids, got {inputs.Length}, {health.Length} and {units.Length}.");
        WindowLength = windowLength;
        Channels = channels;
        Inputs = inputs;
        Rul = rul;
        Health = health;
        Units = units;
    }

    /// <summary>Number of windows.</summary>
    public int Count => Rul.Length;

    /// <summary>Cycles per window.</summary>
    public int WindowLength { get; }

    /// <summary>Features per cycle.</summary>
    public int Channels { get; }

    /// <summary>Values per window: <c>WindowLength * Channels</c>.</summary>
    public int SampleSize => WindowLength * Channels;

    /// <summary>Row-major <c>[Count, WindowLength, Channels]</c>; the last cycle of a window is its newest.</summary>
    public float[] Inputs { get; }

    /// <summary>Capped RUL at each window's last cycle.</summary>
    public float[] Rul { get; }

    /// <summary><see cref="HealthState"/> of each window as int64 class index (for cross-entropy).</summary>
    public long[] Health { get; }

    /// <summary>Unit id each window was cut from.</summary>
    public int[] Units { get; }

    /// <summary>
    /// Hex XxHash128 of the shape and the raw bytes of every array; any changed value changes it.
    /// Computed afresh on each call, so it describes the arrays as they are now.
    /// </summary>
    public string ContentHash()
    {
        var hasher = new ContentHasher();
        AppendTo(hasher);
        return hasher.Finish();
    }

    internal void AppendTo(ContentHasher hasher)
    {
        hasher.Add(WindowLength);
        hasher.Add(Channels);
        hasher.Add(Inputs);
        hasher.Add(Rul);
        hasher.Add(Health);
        hasher.Add(Units);
    }
}
