using TorchSharp;
using static TorchSharp.torch;

namespace Repro.Advanced;

/// <summary>
/// AdamW written out op for op as PyTorch's single-tensor implementation (<c>torch.optim.AdamW</c> with
/// <c>foreach=False</c>): a PyTorch replay with the stock optimizer gives the same bits, and its state
/// is named (per parameter), so fingerprints and checkpoints can hash and store it.
/// </summary>
public sealed class ReproAdamW : TorchSharp.Modules.OptimizerHelper
{
    readonly (string Name, TorchSharp.Modules.Parameter Parameter)[] _parameters;
    readonly FlatBuffers? _flatExpAvg, _flatExpAvgSq;
    readonly bool _ownsFlat;
    readonly Tensor[] _expAvg;
    readonly Tensor[] _expAvgSq;
    readonly double _learningRate;
    readonly double _weightDecay;
    Tensor? _fusedStep;

    /// <summary>AdamW over the named parameters of <paramref name="model"/> (betas 0.9, 0.999; eps 1e-8).</summary>
    public ReproAdamW(nn.Module model, double learningRate = 1e-3, double weightDecay = 1e-2, ParameterLayout layout = ParameterLayout.Auto, AdamWKernel kernel = AdamWKernel.Reference)
        : this(model.named_parameters().Select(p => (p.name, p.parameter)), learningRate, weightDecay, layout, kernel) { }

    /// <summary>
    /// AdamW over the given named parameters (betas 0.9, 0.999; eps 1e-8). With a flat
    /// <paramref name="layout"/> (the default on the CPU) it moves them into <see cref="FlatParameters"/>,
    /// available as <see cref="Flat"/>, and updates them with a few kernels per buffer.
    /// </summary>
    /// <remarks><paramref name="kernel"/> <see cref="AdamWKernel.Fused"/> runs libtorch's fused AdamW: other numbers, so other baselines.</remarks>
    public ReproAdamW(IEnumerable<(string Name, TorchSharp.Modules.Parameter Parameter)> parameters, double learningRate = 1e-3, double weightDecay = 1e-2, ParameterLayout layout = ParameterLayout.Auto, AdamWKernel kernel = AdamWKernel.Reference)
        : this(Materialise(parameters), null, learningRate, weightDecay, layout, kernel) { }

    /// <summary>AdamW over parameters already flattened (shared, e.g., with an EMA of the same layout); the caller keeps owning them.</summary>
    public ReproAdamW(FlatParameters parameters, double learningRate = 1e-3, double weightDecay = 1e-2)
        : this([.. (parameters ?? throw new ArgumentNullException(nameof(parameters))).Parameters], parameters, learningRate, weightDecay, ParameterLayout.Flat, AdamWKernel.Reference) { }

    ReproAdamW((string Name, TorchSharp.Modules.Parameter Parameter)[] parameters, FlatParameters? flat, double learningRate, double weightDecay, ParameterLayout layout, AdamWKernel kernel)
    {
        if (!(learningRate > 0) || double.IsInfinity(learningRate)) throw new ReproException($"ReproAdamW: learning rate {learningRate} must be a positive number (e.g. 1e-3).");
        if (!(weightDecay >= 0) || double.IsInfinity(weightDecay)) throw new ReproException($"ReproAdamW: weight decay {weightDecay} must be zero or a positive number.");
        if (!Enum.IsDefined(kernel)) throw new ReproException($"ReproAdamW: kernel {(int)kernel} is not an AdamW kernel; use Reference or Fused.");
        Kernel = kernel;
        _parameters = parameters;
        _learningRate = learningRate;
        _weightDecay = weightDecay;
        if (flat is null && ParameterLayouts.UseFlat(layout))
        {
            flat = FlatParameters.Create(_parameters);
            _ownsFlat = true;
        }
        Flat = flat;
        if (flat is null)
        {
            _expAvg = [.. _parameters.Select(p => zeros_like(p.Parameter).DetachFromDisposeScope())];
            _expAvgSq = [.. _parameters.Select(p => zeros_like(p.Parameter).DetachFromDisposeScope())];
            return;
        }
        // The moments in the parameters' layout: State() still names one tensor per parameter (views).
        _flatExpAvg = flat.CreateBuffers();
        _flatExpAvgSq = flat.CreateBuffers();
        _expAvg = [.. _flatExpAvg.Views];
        _expAvgSq = [.. _flatExpAvgSq.Views];
    }

    static (string, TorchSharp.Modules.Parameter)[] Materialise(IEnumerable<(string Name, TorchSharp.Modules.Parameter Parameter)> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return [.. parameters];
    }

    /// <summary>The flat layout this optimizer updates, or null when it updates tensor by tensor.</summary>
    public FlatParameters? Flat { get; }

    /// <summary>Which update runs: the op-by-op reference (default) or libtorch's fused kernel.</summary>
    public AdamWKernel Kernel { get; }

    /// <summary>Optimizer steps taken.</summary>
    public long Steps { get; private set; }

    /// <inheritdoc />
    public override Tensor step(Func<Tensor>? closure = null)
    {
        var loss = closure?.Invoke();
        Step();
        return loss!;
    }

    void Step()
    {
        Steps++;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        if (Kernel == AdamWKernel.Fused)
        {
            StepFused();
            return;
        }
        if (Flat is not null)
        {
            StepFlat(Flat);
            return;
        }
        for (var i = 0; i < _parameters.Length; i++)
        {
            var parameter = _parameters[i].Parameter;
            var grad = parameter.grad;
            if (grad is null) continue;
            AdamWUpdate.Apply(parameter, grad, _expAvg[i], _expAvgSq[i], _learningRate, _weightDecay, Steps);
        }
    }

    // One update per chunk; a chunk where some parameter has no gradient yet is updated member by
    // member, skipping those, as the per-tensor loop does.
    void StepFlat(FlatParameters flat)
    {
        for (var c = 0; c < flat.Layout.Count; c++)
        {
            var chunk = flat.Layout[c];
            var present = chunk.AdoptGradients();
            if (present.All(p => p))
            {
                AdamWUpdate.Apply(chunk.Values, chunk.Gradients, _flatExpAvg!.Chunks[c], _flatExpAvgSq!.Chunks[c], _learningRate, _weightDecay, Steps);
                continue;
            }
            for (var m = 0; m < present.Length; m++)
            {
                if (!present[m]) continue;
                var member = chunk.Members[m];
                AdamWUpdate.Apply(chunk.ViewOf(chunk.Values, member), chunk.GradientViews[m], _expAvg[member.Index], _expAvgSq[member.Index], _learningRate, _weightDecay, Steps);
            }
        }
    }

    // Every parameter with a gradient in one call of at::_fused_adamw_, tensor by tensor (views into the
    // flat buffers when flat, so the layout does not move an element within the kernel's vector loop).
    // The bias corrections read the optimizer's step count from one float32 tensor, as PyTorch's fused
    // AdamW reads its per-parameter state['step'].
    void StepFused()
    {
        if (Flat is not null)
            foreach (var chunk in Flat.Layout) chunk.AdoptGradients();
        var present = Enumerable.Range(0, _parameters.Length).Where(i => _parameters[i].Parameter.grad is not null).ToArray();
        if (present.Length == 0) return;
        var first = _parameters[present[0]].Parameter;
        if (_fusedStep is null || _fusedStep.device_type != first.device_type || _fusedStep.device_index != first.device_index)
        {
            _fusedStep?.Dispose();
            _fusedStep = zeros([], ScalarType.Float32, first.device).DetachFromDisposeScope();
        }
        _fusedStep.fill_(Steps);
        ATenOps.FusedAdamW(
            [.. present.Select(i => (Tensor)_parameters[i].Parameter)], [.. present.Select(i => _parameters[i].Parameter.grad!)],
            [.. present.Select(i => _expAvg[i])], [.. present.Select(i => _expAvgSq[i])], _fusedStep,
            _learningRate, AdamWUpdate.Beta1, AdamWUpdate.Beta2, _weightDecay, AdamWUpdate.Epsilon);
    }

    /// <inheritdoc />
    public override void zero_grad()
    {
        if (Flat is not null)
        {
            Flat.ZeroGrad();
            return;
        }
        foreach (var (_, parameter) in _parameters)
            parameter.grad?.zero_();
    }

    /// <summary>Moments in parameter order plus the step count: everything the next step depends on.</summary>
    /// <inheritdoc />
    public override IEnumerable<TorchSharp.Modules.Parameter> parameters() => _parameters.Select(p => p.Parameter);

    /// <summary>Moments in parameter order (<c>{name}.exp_avg</c>, <c>{name}.exp_avg_sq</c>): with <see cref="Steps"/>, everything the next step depends on.</summary>
    public IEnumerable<(string Name, Tensor Tensor)> State()
    {
        for (var i = 0; i < _parameters.Length; i++)
        {
            yield return (_parameters[i].Name + ".exp_avg", _expAvg[i]);
            yield return (_parameters[i].Name + ".exp_avg_sq", _expAvgSq[i]);
        }
    }

    // A checkpoint's moments (copied into place by name) and step count.
    internal void Restore(long steps, Action<string, Tensor> load)
    {
        foreach (var (name, tensor) in State()) load(name, tensor);
        Steps = steps;
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            if (Flat is null)
            {
                foreach (var t in _expAvg) t.Dispose();
                foreach (var t in _expAvgSq) t.Dispose();
            }
            _flatExpAvg?.Dispose();
            _flatExpAvgSq?.Dispose();
            _fusedStep?.Dispose();
            if (_ownsFlat) Flat?.Dispose();
        }
        base.Dispose(disposing);
    }
}

/// <summary>The update <see cref="ReproAdamW"/> runs.</summary>
public enum AdamWKernel
{
    /// <summary>Op by op as PyTorch's single-tensor AdamW (<c>foreach=False</c>); the default, every committed baseline's.</summary>
    Reference,

    /// <summary>
    /// libtorch's <c>_fused_adamw_</c>, as <c>torch.optim.AdamW(fused=True)</c> runs it: one kernel for all
    /// parameters of a device and dtype, deterministic per element, but rounded differently from
    /// <see cref="Reference"/> (its own baselines). One device and dtype per optimizer.
    /// </summary>
    Fused,
}
