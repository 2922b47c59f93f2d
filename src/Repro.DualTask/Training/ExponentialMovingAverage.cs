using static TorchSharp.torch;

namespace Repro.DualTask;

// EMA of the weights (the chapter's decay 0.999). Evaluation swaps the averaged weights in and the
// trained ones back out, so training itself never sees them.
internal sealed class ExponentialMovingAverage : IDisposable
{
    readonly TorchSharp.Modules.Parameter[] _parameters;
    readonly Tensor[] _shadow;
    readonly double _decay;

    internal ExponentialMovingAverage(IEnumerable<TorchSharp.Modules.Parameter> parameters, double decay)
    {
        _parameters = [.. parameters];
        _shadow = [.. _parameters.Select(p => p.detach().clone().DetachFromDisposeScope())];
        _decay = decay;
    }

    internal void Update()
    {
        using var noGrad = no_grad();
        for (var i = 0; i < _parameters.Length; i++)
            _shadow[i].lerp_(_parameters[i], 1 - _decay);
    }

    /// <summary>Puts the averaged weights into the model until the returned handle is disposed.</summary>
    internal IDisposable Apply()
    {
        Swap();
        return new Restore(this);
    }

    void Swap()
    {
        using var noGrad = no_grad();
        for (var i = 0; i < _parameters.Length; i++)
        {
            using var trained = _parameters[i].detach().clone();
            _parameters[i].copy_(_shadow[i]);
            _shadow[i].copy_(trained);
        }
    }

    internal IEnumerable<Tensor> Shadow => _shadow;

    internal void Save(CheckpointState state, string prefix)
    {
        for (var i = 0; i < _shadow.Length; i++) state.Set(prefix + i.ToString(System.Globalization.CultureInfo.InvariantCulture), _shadow[i]);
    }

    internal void Load(CheckpointState state, string prefix)
    {
        for (var i = 0; i < _shadow.Length; i++) state.CopyTo(prefix + i.ToString(System.Globalization.CultureInfo.InvariantCulture), _shadow[i]);
    }

    public void Dispose()
    {
        foreach (var t in _shadow) t.Dispose();
    }

    sealed class Restore(ExponentialMovingAverage owner) : IDisposable
    {
        bool _done;

        public void Dispose()
        {
            if (_done) return;
            _done = true;
            owner.Swap();
        }
    }
}
