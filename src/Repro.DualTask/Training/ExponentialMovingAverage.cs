using Repro.Advanced;
using static TorchSharp.torch;

namespace Repro.DualTask;

// EMA of the weights (the chapter's decay 0.999). Evaluation swaps the averaged weights in and the
// trained ones back out, so training itself never sees them. With the optimizer's flat layout the
// update and the swap are a few kernels per buffer instead of one or three per parameter; every
// element goes through the same lerp_ or copy_ either way.
//
// Two opt-in rules (docs/design.md, "EMA of the weights"): a warm-up, decay_t = min(decay, (1 + t) /
// (10 + t)) with t the updates done before this one, so that the average is not mostly the initial
// weights for the first ~1/(1 - decay) steps; and averaged BatchNorm statistics, so that the averaged
// weights are evaluated with statistics averaged over the same horizon instead of the live model's.
internal sealed class ExponentialMovingAverage : IDisposable
{
    readonly Tensor[] _parameters;
    readonly Tensor[] _shadow;
    readonly FlatBuffers? _flatShadow;
    readonly double _decay;
    readonly bool _warmup;
    // Floating-point buffers (BatchNorm running mean and variance) averaged beside the weights; empty
    // when the evaluated model uses the live model's statistics (EmaBufferRule.Live).
    readonly Tensor[] _buffers;
    readonly Tensor[] _bufferShadow;
    long _updates;

    internal ExponentialMovingAverage(IEnumerable<TorchSharp.Modules.Parameter> parameters, double decay, bool warmup = false, IEnumerable<Tensor>? buffers = null)
    {
        _parameters = [.. parameters];
        _shadow = [.. _parameters.Select(p => p.detach().clone().DetachFromDisposeScope())];
        _decay = decay;
        _warmup = warmup;
        (_buffers, _bufferShadow) = ShadowOf(buffers);
    }

    internal ExponentialMovingAverage(FlatParameters flat, double decay, bool warmup = false, IEnumerable<Tensor>? buffers = null)
    {
        _flatShadow = flat.CreateBuffers(copyParameters: true);
        _parameters = [.. flat.Chunks];
        _shadow = [.. _flatShadow.Chunks];
        _decay = decay;
        _warmup = warmup;
        (_buffers, _bufferShadow) = ShadowOf(buffers);
    }

    static (Tensor[] Live, Tensor[] Shadow) ShadowOf(IEnumerable<Tensor>? buffers)
    {
        Tensor[] live = buffers is null ? [] : [.. buffers];
        return (live, [.. live.Select(b => b.detach().clone().DetachFromDisposeScope())]);
    }

    /// <summary>The decay of update number <paramref name="updatesBefore"/> + 1 (the first update has 0 updates before it).</summary>
    internal static double DecayAt(double decay, bool warmup, long updatesBefore) =>
        warmup ? Math.Min(decay, (1.0 + updatesBefore) / (10.0 + updatesBefore)) : decay;

    /// <summary>Updates applied so far.</summary>
    internal long Updates => _updates;

    internal void Update()
    {
        using var noGrad = no_grad();
        // Held to the end: an implicit temporary can be finalised while libtorch still reads it. lerp_ takes
        // its weight as a tensor: the same 0-dim double tensor the implicit conversion makes.
        using Tensor weight = 1 - DecayAt(_decay, _warmup, _updates);
        for (var i = 0; i < _parameters.Length; i++)
            _shadow[i].lerp_(_parameters[i], weight);
        for (var i = 0; i < _buffers.Length; i++)
            _bufferShadow[i].lerp_(_buffers[i], weight);
        _updates++;
    }

    /// <summary>Puts the averaged weights (and averaged buffers, if any) into the model until the returned handle is disposed.</summary>
    internal IDisposable Apply()
    {
        Swap();
        return new Restore(this);
    }

    void Swap()
    {
        using var noGrad = no_grad();
        for (var i = 0; i < _parameters.Length; i++) Exchange(_parameters[i], _shadow[i]);
        for (var i = 0; i < _buffers.Length; i++) Exchange(_buffers[i], _bufferShadow[i]);
    }

    static void Exchange(Tensor live, Tensor shadow)
    {
        using var trained = live.detach().clone();
        live.copy_(shadow);
        shadow.copy_(trained);
    }

    internal IEnumerable<Tensor> Shadow => _flatShadow?.Views ?? _shadow;

    internal IReadOnlyList<Tensor> BufferShadow => _bufferShadow;

    // One tensor per parameter whatever the layout, so a checkpoint written with flat buffers resumes with per-tensor ones and back.
    // The averaged buffers and the update count are written only when those rules are on, so checkpoints of the defaults keep their contents.
    internal void Save(CheckpointState state, string prefix)
    {
        var i = 0;
        foreach (var shadow in Shadow) state.Set(prefix + (i++).ToString(System.Globalization.CultureInfo.InvariantCulture), shadow);
        for (var b = 0; b < _bufferShadow.Length; b++) state.Set(prefix + "buffer." + b.ToString(System.Globalization.CultureInfo.InvariantCulture), _bufferShadow[b]);
        if (_warmup) state.SetValue(prefix + "updates", _updates);
    }

    internal void Load(CheckpointState state, string prefix)
    {
        var i = 0;
        foreach (var shadow in Shadow) state.CopyTo(prefix + (i++).ToString(System.Globalization.CultureInfo.InvariantCulture), shadow);
        for (var b = 0; b < _bufferShadow.Length; b++) state.CopyTo(prefix + "buffer." + b.ToString(System.Globalization.CultureInfo.InvariantCulture), _bufferShadow[b]);
        if (_warmup) _updates = state.GetValue<long>(prefix + "updates");
    }

    public void Dispose()
    {
        if (_flatShadow is not null) _flatShadow.Dispose();
        else foreach (var t in _shadow) t.Dispose();
        foreach (var t in _bufferShadow) t.Dispose();
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
