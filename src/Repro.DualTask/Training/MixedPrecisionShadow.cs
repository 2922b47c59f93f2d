using TorchSharp;
using static TorchSharp.torch;

namespace Repro.DualTask;

// TorchSharp 0.107 has no autocast: a bf16 copy of the model computes forward and backward, the
// fp32 model keeps the master weights the optimizer updates, and explicit casts move between them.
internal sealed class MixedPrecisionShadow : IDisposable
{
    readonly DualTaskModel _master;
    readonly DualTaskModel _compute;

    internal MixedPrecisionShadow(DualTaskModel master)
    {
        _master = master;
        _compute = new DualTaskModel(master.Config);
        _compute.to(master.parameters().First().device);
        _compute.to(ScalarType.BFloat16);
    }

    internal DualTaskModel Prepare()
    {
        using var noGrad = no_grad();
        var master = _master.state_dict();
        foreach (var (name, value) in _compute.state_dict())
            value.copy_(master[name]);
        _compute.train(_master.training);
        return _compute;
    }

    internal void CopyGradientsToMaster()
    {
        using var noGrad = no_grad();
        var compute = _compute.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (name, parameter) in _master.named_parameters())
        {
            var grad = compute[name].grad;
            if (grad is null) continue;
            parameter.grad = grad.to(ScalarType.Float32).DetachFromDisposeScope();
        }
        // BatchNorm running statistics are updated by the forward pass of the compute copy.
        var masterBuffers = _master.named_buffers().ToDictionary(b => b.name, b => b.buffer);
        foreach (var (name, buffer) in _compute.named_buffers())
            masterBuffers[name].copy_(buffer);
    }

    internal void ZeroGrad()
    {
        foreach (var parameter in _compute.parameters()) parameter.grad?.zero_();
    }

    // Between the steps of a gradient accumulation the bf16 copy holds the gradients summed so far.
    internal void Save(CheckpointState state, string prefix)
    {
        using var scope = NewDisposeScope();
        foreach (var (name, parameter) in _compute.named_parameters())
            if (parameter.grad is { } grad) state.Set(prefix + name, grad);
    }

    internal void Load(CheckpointState state, string prefix)
    {
        foreach (var (name, parameter) in _compute.named_parameters())
        {
            if (!state.Contains(prefix + name)) continue;
            using var grad = state.Get(prefix + name);
            parameter.grad = grad.to(parameter.device).DetachFromDisposeScope();
        }
    }

    public void Dispose() => _compute.Dispose();
}
