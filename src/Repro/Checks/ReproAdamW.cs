using TorchSharp;
using static TorchSharp.torch;

namespace Repro;

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

    /// <summary>AdamW over the named parameters of <paramref name="model"/> (betas 0.9, 0.999; eps 1e-8).</summary>
    public ReproAdamW(nn.Module model, double learningRate = 1e-3, double weightDecay = 1e-2, ParameterLayout layout = ParameterLayout.Auto)
        : this(model.named_parameters().Select(p => (p.name, p.parameter)), learningRate, weightDecay, layout) { }

    /// <summary>
    /// AdamW over the given named parameters (betas 0.9, 0.999; eps 1e-8). With a flat
    /// <paramref name="layout"/> (the default on the CPU) it moves them into <see cref="FlatParameters"/>,
    /// available as <see cref="Flat"/>, and updates them with a few kernels per buffer.
    /// </summary>
    public ReproAdamW(IEnumerable<(string Name, TorchSharp.Modules.Parameter Parameter)> parameters, double learningRate = 1e-3, double weightDecay = 1e-2, ParameterLayout layout = ParameterLayout.Auto)
        : this(Materialise(parameters), null, learningRate, weightDecay, layout) { }

    /// <summary>AdamW over parameters already flattened (shared, e.g., with an EMA of the same layout); the caller keeps owning them.</summary>
    public ReproAdamW(FlatParameters parameters, double learningRate = 1e-3, double weightDecay = 1e-2)
        : this([.. (parameters ?? throw new ArgumentNullException(nameof(parameters))).Parameters], parameters, learningRate, weightDecay, ParameterLayout.Flat) { }

    ReproAdamW((string Name, TorchSharp.Modules.Parameter Parameter)[] parameters, FlatParameters? flat, double learningRate, double weightDecay, ParameterLayout layout)
    {
        if (!(learningRate > 0) || double.IsInfinity(learningRate)) throw new ReproException($"ReproAdamW: learning rate {learningRate} must be a positive number (e.g. 1e-3).");
        if (!(weightDecay >= 0) || double.IsInfinity(weightDecay)) throw new ReproException($"ReproAdamW: weight decay {weightDecay} must be zero or a positive number.");
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
            if (_ownsFlat) Flat?.Dispose();
        }
        base.Dispose(disposing);
    }
}
