using Repro.Native;
using static TorchSharp.torch;

namespace Repro;

// One input shape's CUDA graph: the static input tensors it reads, the output tensors it writes, and
// the gradient tensors (by TensorImpl) its backward accumulated into when it was recorded.
internal sealed class CapturedShape : IDisposable
{
    Tensor[] _inputs = [];
    Tensor[] _outputs = [];
    IntPtr[] _gradients = [];
    IntPtr _graph;

    internal bool Captured => _graph != IntPtr.Zero;

    internal IReadOnlyList<Tensor> Outputs => _outputs;

    // A backward recorded into other gradient tensors than the parameters hold now (an optimizer
    // adopted them into a flat buffer, a user set .grad) would write where nobody reads: capture again.
    internal bool RecordedFor(IReadOnlyList<TorchSharp.Modules.Parameter> parameters) =>
        Captured && GradientImpls(parameters).AsSpan().SequenceEqual(_gradients);

    internal void Capture(Func<IReadOnlyList<Tensor>, IReadOnlyList<Tensor>> step, IReadOnlyList<Tensor> inputs, IReadOnlyList<TorchSharp.Modules.Parameter> parameters, CudaGraphNative.Stream side)
    {
        Release();
        _inputs = [.. inputs.Select(i => i.detach().clone().DetachFromDisposeScope())];
        _graph = CudaGraphNative.NewGraph();
        var previous = CudaGraphNative.Current();
        cuda.synchronize();
        CudaGraphNative.SetCurrent(side);
        CudaGraphNative.BeginCapture(_graph);
        IReadOnlyList<Tensor> outputs;
        try
        {
            outputs = step(_inputs);
        }
        catch (Exception e)
        {
            // The capture cannot be ended (libtorch would throw a C++ exception through the call) and this
            // stream stays capturing: the process can no longer use CUDA. Say so instead of going on.
            _graph = IntPtr.Zero;
            CudaGraphNative.SetCurrent(previous);
            throw new ReproException($"Capturing the training step in a CUDA graph failed: {e.Message}. A captured step must not synchronise with the host (.item(), .cpu(), .ToArray(), " +
                "printing a tensor, boolean-mask indexing) or touch CPU tensors; move that work out of the step, or set REPRO_STEP_CAPTURE=eager. " +
                "CUDA is unusable in this process after a failed capture.", e);
        }
        CudaGraphNative.EndCapture(_graph);
        CudaGraphNative.SetCurrent(previous);
        cuda.synchronize();
        _outputs = [.. outputs.Select(o => o.DetachFromDisposeScope())];
        _gradients = GradientImpls(parameters);
    }

    internal void CopyInputs(IReadOnlyList<Tensor> inputs)
    {
        using var noGrad = no_grad();
        for (var i = 0; i < inputs.Count; i++) _inputs[i].copy_(inputs[i]);
    }

    internal void Replay() => CudaGraphNative.ReplayGraph(_graph);

    static IntPtr[] GradientImpls(IReadOnlyList<TorchSharp.Modules.Parameter> parameters)
    {
        var impls = new IntPtr[parameters.Count];
        for (var i = 0; i < impls.Length; i++)
        {
            using var grad = parameters[i].grad;
            impls[i] = grad is null ? IntPtr.Zero : TensorIdentity.ImplOf(grad);
        }
        return impls;
    }

    // Tensors first: the graph's private memory pool is released when the graph is destroyed.
    void Release()
    {
        foreach (var t in _outputs) t.Dispose();
        foreach (var t in _inputs) t.Dispose();
        _outputs = [];
        _inputs = [];
        if (_graph == IntPtr.Zero) return;
        cuda.synchronize();
        CudaGraphNative.DeleteGraph(_graph);
        _graph = IntPtr.Zero;
    }

    public void Dispose() => Release();
}
