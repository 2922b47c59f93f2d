using Repro.Advanced;

namespace Repro.DualTask;

/// <summary>
/// Gathers batches of a <see cref="WindowSet"/>, optionally on several threads, and yields them in
/// epoch order. The loader holds no random state: the batches of an epoch depend only on (seed,
/// epoch) and the options, so reusing the loader, recreating it, or changing
/// <see cref="BatchLoaderOptions.Workers"/> gives the same bytes.
/// </summary>
public sealed class BatchLoader
{
    /// <summary>Batches gathered ahead per worker, bounding memory to a few batches per thread.</summary>
    const int BatchesPerWorker = 2;

    readonly WindowSet _data;
    readonly BatchLoaderOptions _options;

    /// <summary>Validates the options; the data is read, never changed.</summary>
    public BatchLoader(WindowSet data, BatchLoaderOptions options)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _data = data;
        _options = options;
    }

    /// <summary>Batches per epoch.</summary>
    public int BatchCount => _options.DropLast ? _data.Count / _options.BatchSize : (_data.Count + _options.BatchSize - 1) / _options.BatchSize;

    /// <summary>The batches of one epoch, in order.</summary>
    public IEnumerable<Batch> Epoch(long seed, int epoch)
    {
        if (epoch < 0) throw new ReproException($"Epoch {epoch} must be 0 or more.");
        var order = _options.Shuffle ? EpochOrder.Permutation(seed, epoch, _data.Count) : Enumerable.Range(0, _data.Count).ToArray();
        return Materialise(EpochOrder.Split(order, _options.BatchSize, _options.DropLast), seed, epoch);
    }

    /// <summary>The batches of one epoch in a given order (the trainer passes the order it fingerprints).</summary>
    internal IEnumerable<Batch> Epoch(int[] order, long seed, int epoch) =>
        Materialise(EpochOrder.Split(order, _options.BatchSize, _options.DropLast), seed, epoch);

    IEnumerable<Batch> Materialise(IReadOnlyList<ArraySegment<int>> segments, long seed, int epoch)
    {
        var chunk = _options.Workers * BatchesPerWorker;
        var ready = new Batch[chunk];
        for (var start = 0; start < segments.Count; start += chunk)
        {
            var size = Math.Min(chunk, segments.Count - start);
            // Each batch is written into its own buffers by exactly one thread, so the thread count
            // changes only the timing, never a value.
            if (_options.Workers == 1)
                for (var i = 0; i < size; i++) ready[i] = Gather(start + i, segments[start + i], seed, epoch);
            else
                Parallel.For(0, size, new ParallelOptions { MaxDegreeOfParallelism = _options.Workers },
                    i => ready[i] = Gather(start + i, segments[start + i], seed, epoch));
            for (var i = 0; i < size; i++) yield return ready[i];
        }
    }

    Batch Gather(int index, ArraySegment<int> segment, long seed, int epoch)
    {
        var samples = segment.ToArray();
        var size = _data.SampleSize;
        var inputs = new float[samples.Length * size];
        var rul = new float[samples.Length];
        var health = new long[samples.Length];
        for (var i = 0; i < samples.Length; i++)
        {
            var sample = samples[i];
            var target = inputs.AsSpan(i * size, size);
            _data.Inputs.AsSpan(sample * size, size).CopyTo(target);
            if (_options.NoiseStd > 0) AddNoise(target, seed, epoch, sample);
            rul[i] = _data.Rul[sample];
            health[i] = _data.Health[sample];
        }
        return new Batch(index, samples, inputs, rul, health);
    }

    void AddNoise(Span<float> values, long seed, int epoch, int sample)
    {
        var rng = RandomStreams.Create(seed, $"input-noise/epoch{epoch.ToString(System.Globalization.CultureInfo.InvariantCulture)}", sample);
        for (var i = 0; i < values.Length; i++) values[i] += (float)(_options.NoiseStd * rng.NextGaussian());
    }
}
