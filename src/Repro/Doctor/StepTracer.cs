using TorchSharp;
using static TorchSharp.torch;

namespace Repro;

/// <summary>One hash in a divergence trace; module hooks also record the hash of the module's input.</summary>
internal sealed record TraceEntry(long Step, int Epoch, string Phase, string Name, string Hash, string? InputHash = null);

// Records per-step hashes of the batch, the generator state, every module's output (through forward
// hooks) and every stage the model records itself, every gradient and
// every updated parameter. It stops the training (by throwing StopTracing) past the last epoch or
// step it needs, or, given a reference trace, right after the first step that differs from it.
internal sealed class StepTracer(int lastEpoch, long maxSteps, IReadOnlyList<TraceEntry>? reference = null) : ITrainingObserver, IForwardTrace
{
    readonly List<TraceEntry> _entries = [];
    readonly ILookup<long, TraceEntry>? _reference = reference?.ToLookup(e => e.Step);
    long _step;
    int _epoch;
    int _stepStart;

    internal IReadOnlyList<TraceEntry> Entries => _entries;

    public IForwardTrace? ForwardTrace => this;

    public void OnBatch(int epoch, long step, ReadOnlySpan<int> indices)
    {
        if (_reference is not null && _step > 0 && DiffersFromReference()) throw new StopTracing();
        if (epoch > lastEpoch || step > maxSteps) throw new StopTracing();
        _step = step;
        _epoch = epoch;
        _stepStart = _entries.Count;
        Add("batch", "indices", TensorHasher.HashInts(indices));
        using var state = torch.random.get_rng_state();
        Add("rng", "cpu", TensorHasher.Hash(state));
        // TorchSharp 0.107 has no torch.cuda.get_rng_state; the CUDA generator is read through libtorch's exports.
        if (NativeRuntime.Current is { IsCuda: true }) Add("rng", "cuda", CudaGeneratorState.Capture().Hash());
    }

    public void Record(string stage, Tensor output) => Add("forward", stage, TensorHasher.Hash(output));

    public void OnModule(string module, string inputHash, string outputHash) =>
        _entries.Add(new TraceEntry(_step, _epoch, "forward", module, outputHash, inputHash));

    public void OnGradients(long step, IReadOnlyList<(string Name, Tensor Gradient)> gradients)
    {
        foreach (var (name, gradient) in gradients) Add("backward", name, TensorHasher.Hash(gradient));
    }

    public void OnUpdate(long step, IReadOnlyList<(string Name, Tensor Parameter)> parameters)
    {
        foreach (var (name, parameter) in parameters) Add("update", name, TensorHasher.Hash(parameter));
    }

    void Add(string phase, string name, string hash) => _entries.Add(new TraceEntry(_step, _epoch, phase, name, hash));

    bool DiffersFromReference()
    {
        var expected = _reference![_step].ToList();
        var actual = _entries.Count - _stepStart;
        if (expected.Count != actual) return true;
        for (var i = 0; i < actual; i++)
            if (expected[i] != _entries[_stepStart + i]) return true;
        return false;
    }
}

// Not an error: how a tracer ends a training it no longer needs.
internal sealed class StopTracing : Exception
{
    public StopTracing() : base("Trace complete.") { }
}
