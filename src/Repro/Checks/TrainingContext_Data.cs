namespace Repro;

public sealed partial class TrainingContext
{
    TraceRecorder? _recorder;

    internal TraceRecorder Recorder => _recorder ??= new TraceRecorder { DataObserver = Observer as IDataObserver ?? DataStageEvidence.During };

    /// <summary>
    /// Records a digest of one data stage (raw values, preprocessing statistics, windows, ...) in the
    /// compact trace stored with the baseline, so a mismatch can name the first stage that moved. Call it
    /// in <see cref="TrainingCheck.PrepareData"/>, once per stage name, in pipeline order.
    /// </summary>
    public void RecordData(string stage, ReadOnlySpan<float> values)
    {
        var copy = Recorder.DataObserver is null ? null : values.ToArray();
        Recorder.AddStage(stage, TraceRecorder.Digest(values), values.Length, null, copy is null ? null : () => [.. copy.Select(v => (double)v)], singlePrecision: true);
    }

    /// <inheritdoc cref="RecordData(string, ReadOnlySpan{float})"/>
    public void RecordData(string stage, ReadOnlySpan<double> values)
    {
        var copy = Recorder.DataObserver is null ? null : values.ToArray();
        Recorder.AddStage(stage, TraceRecorder.Digest(values), values.Length, null, copy is null ? null : () => copy);
    }

    /// <inheritdoc cref="RecordData(string, ReadOnlySpan{float})"/>
    public void RecordData(string stage, ReadOnlySpan<int> values) =>
        Recorder.AddStage(stage, TraceRecorder.Digest(values), values.Length, null, null);

    /// <inheritdoc cref="RecordData(string, ReadOnlySpan{float})"/>
    public void RecordData(string stage, ReadOnlySpan<long> values) =>
        Recorder.AddStage(stage, TraceRecorder.Digest(values), values.Length, null, null);

    /// <summary>
    /// Records a stage made of items (units, files, records) in the order the pipeline uses them. Besides
    /// the ordered digest it keeps one that ignores the order, so a mismatch can say "the same items in
    /// another order" (a directory listing, a hash set) instead of "other data".
    /// </summary>
    public void RecordData(string stage, IEnumerable<float[]> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var list = items.ToList();
        var (hash, itemSet) = TraceRecorder.Digest([.. list.Select(i => TraceRecorder.Digest<float>(i))]);
        Recorder.AddStage(stage, hash, list.Sum(i => (long)i.Length), itemSet,
            Recorder.DataObserver is null ? null : () => [.. list.SelectMany(i => i).Select(v => (double)v)], singlePrecision: true);
    }
}
