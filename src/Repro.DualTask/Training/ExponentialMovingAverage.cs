using static TorchSharp.torch;

namespace Repro.DualTask;

// EMA of the weights (the chapter's decay 0.999). Evaluation swaps the averaged weights in and the
// trained ones back out, so training itself never sees them. With the optimizer's flat layout the
// update and the swap are a few kernels per buffer instead of one or three per parameter; every
// element goes through the same lerp_ or copy_ either way.
internal sealed class ExponentialMovingAverage : IDisposable
{
    readonly Tensor[] _parameters;
    readonly Tensor[] _shadow;
    readonly FlatBuffers? _flatShadow;
    readonly double _decay;

    internal ExponentialMovingAverage(IEnumerable<TorchSharp.Modules.Parameter> parameters, double decay)
    {
        _parameters = [.. parameters];
        _shadow = [.. _parameters.Select(p => p.detach().clone().DetachFromDisposeScope())];
        _decay = decay;
    }

    internal ExponentialMovingAverage(FlatParameters flat, double decay)
    {
        _flatShadow = flat.CreateBuffers(copyParameters: true);
        _parameters = [.. flat.Chunks];
        _shadow = [.. _flatShadow.Chunks];
        _decay = decay;
    }

    internal void Update()
    {
        using var noGrad = no_grad();
        // Held to the end: an implicit temporary can be finalised while libtorch still reads it. lerp_ takes
        // its weight as a tensor: the same 0-dim double tensor the implicit conversion makes.
        using Tensor weight = 1 - _decay;
        for (var i = 0; i < _parameters.Length; i++)
            _shadow[i].lerp_(_parameters[i], weight);
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

    internal IEnumerable<Tensor> Shadow => _flatShadow?.Views ?? _shadow;

    // One tensor per parameter whatever the layout, so a checkpoint written with flat buffers resumes with per-tensor ones and back.
    internal void Save(CheckpointState state, string prefix)
    {
        var i = 0;
        foreach (var shadow in Shadow) state.Set(prefix + (i++).ToString(System.Globalization.CultureInfo.InvariantCulture), shadow);
    }

    internal void Load(CheckpointState state, string prefix)
    {
        var i = 0;
        foreach (var shadow in Shadow) state.CopyTo(prefix + (i++).ToString(System.Globalization.CultureInfo.InvariantCulture), shadow);
    }

    public void Dispose()
    {
        if (_flatShadow is not null) _flatShadow.Dispose();
        else foreach (var t in _shadow) t.Dispose();
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
