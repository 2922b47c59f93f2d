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
    const double Beta1 = 0.9, Beta2 = 0.999, Epsilon = 1e-8;
    readonly (string Name, TorchSharp.Modules.Parameter Parameter)[] _parameters;
    readonly Tensor[] _expAvg;
    readonly Tensor[] _expAvgSq;
    readonly double _learningRate;
    readonly double _weightDecay;

    /// <summary>AdamW over the named parameters of <paramref name="model"/> (betas 0.9, 0.999; eps 1e-8).</summary>
    public ReproAdamW(nn.Module model, double learningRate = 1e-3, double weightDecay = 1e-2)
        : this(model.named_parameters().Select(p => (p.name, p.parameter)), learningRate, weightDecay) { }

    /// <summary>AdamW over the given named parameters (betas 0.9, 0.999; eps 1e-8).</summary>
    public ReproAdamW(IEnumerable<(string Name, TorchSharp.Modules.Parameter Parameter)> parameters, double learningRate = 1e-3, double weightDecay = 1e-2)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(learningRate > 0) || double.IsInfinity(learningRate)) throw new ReproException($"ReproAdamW: learning rate {learningRate} must be a positive number (e.g. 1e-3).");
        if (!(weightDecay >= 0) || double.IsInfinity(weightDecay)) throw new ReproException($"ReproAdamW: weight decay {weightDecay} must be zero or a positive number.");
        _parameters = [.. parameters];
        _expAvg = [.. _parameters.Select(p => zeros_like(p.Parameter).DetachFromDisposeScope())];
        _expAvgSq = [.. _parameters.Select(p => zeros_like(p.Parameter).DetachFromDisposeScope())];
        _learningRate = learningRate;
        _weightDecay = weightDecay;
    }

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
        var biasCorrection1 = 1 - Math.Pow(Beta1, Steps);
        var biasCorrection2Sqrt = Math.Sqrt(1 - Math.Pow(Beta2, Steps));
        var stepSize = _learningRate / biasCorrection1;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        for (var i = 0; i < _parameters.Length; i++)
        {
            var parameter = _parameters[i].Parameter;
            var grad = parameter.grad;
            if (grad is null) continue;
            parameter.mul_(1 - _learningRate * _weightDecay);
            _expAvg[i].lerp_(grad, 1 - Beta1);
            _expAvgSq[i].mul_(Beta2).addcmul_(grad, grad, 1 - Beta2);
            var denominator = (_expAvgSq[i].sqrt() / biasCorrection2Sqrt).add_(Epsilon);
            parameter.addcdiv_(_expAvg[i], denominator, -stepSize);
        }
    }

    /// <inheritdoc />
    public override void zero_grad()
    {
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
            foreach (var t in _expAvg) t.Dispose();
            foreach (var t in _expAvgSq) t.Dispose();
        }
        base.Dispose(disposing);
    }
}
