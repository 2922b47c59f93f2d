using System.IO.Hashing;
using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace Repro;

// Builds one training's compact trace (TrainingTrace) and notes the intra-op thread count libtorch
// reports at each epoch end, which the check's own code may have changed after Determinism.Apply.
// Reading the generator state and hashing tensors changes no number.
internal sealed class TraceRecorder
{
    readonly List<DataStageRecord> _data = [];
    readonly List<EpochTraceRecord> _epochs = [];
    readonly List<int> _threads = [];
    string _generatorAtStart = "";
    string? _cudaGeneratorAtStart;

    internal IDataObserver? DataObserver { get; init; }

    internal void AddStage(string stage, string hash, long count, string? itemSetHash, Func<double[]>? values, bool singlePrecision = false)
    {
        if (string.IsNullOrWhiteSpace(stage))
            throw new ReproException("A data stage needs a name, e.g. context.RecordData(\"windows\", values).");
        if (_data.Any(d => d.Stage == stage))
            throw new ReproException($"The data stage '{stage}' was recorded twice in one training; give each stage its own name.");
        _data.Add(new DataStageRecord(stage, hash, count, itemSetHash));
        if (DataObserver is { } observer && values is not null) observer.OnData(stage, values(), singlePrecision);
    }

    /// <summary>Digests the generators as the epoch starts: the CPU one always, the CUDA one (seed, offset) when training on CUDA.</summary>
    internal void EpochStarting(bool cuda)
    {
        using var state = torch.random.get_rng_state();
        _generatorAtStart = TensorHasher.Hash(state);
        _cudaGeneratorAtStart = cuda ? CudaGeneratorState.Capture().Hash() : null;
    }

    internal void EpochEnded(int epoch, nn.Module model, optim.Optimizer optimizer, long optimizerSteps)
    {
        _threads.Add(torch.get_num_threads());
        _epochs.Add(new EpochTraceRecord(epoch, _generatorAtStart, ModelFingerprint.Hash(model), OptimizerFingerprint.Hash(optimizer, optimizerSteps), _cudaGeneratorAtStart));
    }

    internal TrainingTrace Finish() => new() { Data = [.. _data], Epochs = [.. _epochs] };

    /// <summary>
    /// What a checkpoint must carry so that a resumed run ends with the same trace as an uninterrupted one:
    /// the finished epochs' records, the generator digests taken when the current epoch started (a
    /// mid-epoch resume does not start it again) and the thread counts seen. Data stages are recorded
    /// again by PrepareData on resume.
    /// </summary>
    internal TraceSnapshot Snapshot() => new([.. _epochs], _generatorAtStart, [.. _threads], _cudaGeneratorAtStart);

    /// <summary>Continues from <paramref name="snapshot"/> (right after the data stages of the resumed run were recorded).</summary>
    internal void Restore(TraceSnapshot snapshot)
    {
        _epochs.Clear();
        _epochs.AddRange(snapshot.Epochs);
        _generatorAtStart = snapshot.GeneratorAtStart;
        _cudaGeneratorAtStart = snapshot.CudaGeneratorAtStart;
        _threads.Clear();
        _threads.AddRange(snapshot.Threads);
    }

    /// <summary>The first thread count seen at an epoch end that differs from <paramref name="pinned"/>, else the pinned count.</summary>
    internal int ThreadsDuringTraining(int pinned) => _threads.FirstOrDefault(t => t != pinned, pinned);

    internal static string Digest<T>(ReadOnlySpan<T> values) where T : unmanaged
    {
        var hasher = new XxHash128();
        Span<byte> length = stackalloc byte[sizeof(long)];
        System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(length, values.Length);
        hasher.Append(length);
        var bytes = MemoryMarshal.AsBytes(values);
        if (BitConverter.IsLittleEndian) hasher.Append(bytes);
        else
        {
            var copy = bytes.ToArray();
            for (var i = 0; i < copy.Length; i += System.Runtime.CompilerServices.Unsafe.SizeOf<T>()) copy.AsSpan(i, System.Runtime.CompilerServices.Unsafe.SizeOf<T>()).Reverse();
            hasher.Append(copy);
        }
        return TensorHasher.Hex(hasher);
    }

    // The ordered digest hashes the item digests in order; the item-set digest hashes them sorted,
    // so the same items in another order (a directory listing, a hash set) keep the item-set digest.
    internal static (string Hash, string ItemSetHash) Digest(IReadOnlyList<string> itemDigests)
    {
        static string Join(IEnumerable<string> digests) => TensorHasher.HashBytes(System.Text.Encoding.ASCII.GetBytes(string.Join(",", digests)));
        return (Join(itemDigests), Join(itemDigests.Order(StringComparer.Ordinal)));
    }
}

/// <summary>A training's trace so far, as a checkpoint stores it (<see cref="TraceRecorder.Snapshot"/>).</summary>
/// <param name="Epochs">The finished epochs' records.</param>
/// <param name="GeneratorAtStart">The CPU generator digest of the current epoch's start.</param>
/// <param name="Threads">The intra-op thread counts seen at each finished epoch's end.</param>
/// <param name="CudaGeneratorAtStart">The CUDA generator digest of the current epoch's start; null on the CPU and in checkpoints written before it was traced.</param>
internal sealed record TraceSnapshot(
    IReadOnlyList<EpochTraceRecord> Epochs,
    string GeneratorAtStart,
    IReadOnlyList<int> Threads,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? CudaGeneratorAtStart = null);

/// <summary>The doctor's in-process view of data stages: the values, to tell rounding-level differences from others.</summary>
internal interface IDataObserver
{
    void OnData(string stage, double[] values, bool singlePrecision);
}
