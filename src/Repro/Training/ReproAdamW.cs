using TorchSharp;
using static TorchSharp.torch;

namespace Repro;

// AdamW written out op for op as PyTorch's single-tensor implementation (torch.optim.AdamW with
// foreach=False), so the PyTorch replay can use the stock optimizer, and so that the optimizer
// state is ours to hash.
internal sealed class ReproAdamW : IDisposable
{
    const double Beta1 = 0.9, Beta2 = 0.999, Epsilon = 1e-8;
    readonly (string Name, TorchSharp.Modules.Parameter Parameter)[] _parameters;
    readonly Tensor[] _expAvg;
    readonly Tensor[] _expAvgSq;
    readonly double _learningRate;
    readonly double _weightDecay;

    internal ReproAdamW(IEnumerable<(string, TorchSharp.Modules.Parameter)> parameters, double learningRate, double weightDecay)
    {
        _parameters = [.. parameters];
        _expAvg = [.. _parameters.Select(p => zeros_like(p.Parameter).DetachFromDisposeScope())];
        _expAvgSq = [.. _parameters.Select(p => zeros_like(p.Parameter).DetachFromDisposeScope())];
        _learningRate = learningRate;
        _weightDecay = weightDecay;
    }

    internal long Steps { get; private set; }

    internal void Step()
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

    internal void ZeroGrad()
    {
        foreach (var (_, parameter) in _parameters)
            parameter.grad?.zero_();
    }

    /// <summary>Moments in parameter order plus the step count: everything the next step depends on.</summary>
    internal IEnumerable<(string Name, Tensor Tensor)> State()
    {
        for (var i = 0; i < _parameters.Length; i++)
        {
            yield return (_parameters[i].Name + ".exp_avg", _expAvg[i]);
            yield return (_parameters[i].Name + ".exp_avg_sq", _expAvgSq[i]);
        }
    }

    public void Dispose()
    {
        foreach (var t in _expAvg) t.Dispose();
        foreach (var t in _expAvgSq) t.Dispose();
    }
}
