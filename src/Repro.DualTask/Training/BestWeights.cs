using static TorchSharp.torch;

namespace Repro.DualTask;

// Early stopping's memory: a CPU copy of the state at the best validation RMSE so far.
internal sealed class BestWeights : IDisposable
{
    readonly List<(string Name, Tensor Value)> _state = [];
    double _bestRmse = double.PositiveInfinity;

    internal int Epoch { get; private set; }

    internal void Offer(int epoch, double rmse, DualTaskModel model)
    {
        // NaN never beats anything, so a diverged epoch is never "best".
        if (!(rmse < _bestRmse)) return;
        _bestRmse = rmse;
        Epoch = epoch;
        Clear();
        foreach (var (name, value) in model.state_dict())
            _state.Add((name, value.detach().cpu().clone().DetachFromDisposeScope()));
    }

    internal void Restore(DualTaskModel model)
    {
        if (_state.Count == 0) return;
        var current = model.state_dict();
        using var noGrad = no_grad();
        foreach (var (name, value) in _state) current[name].copy_(value);
    }

    // The best state so far, its RMSE (as bits: +infinity before the first epoch) and epoch.
    internal void Save(CheckpointState state, string prefix)
    {
        state.SetValue(prefix + "epoch", Epoch);
        state.SetValue(prefix + "rmseBits", BitConverter.DoubleToInt64Bits(_bestRmse));
        state.SetValue(prefix + "names", _state.Select(s => s.Name).ToArray());
        foreach (var (name, value) in _state) state.Set(prefix + name, value);
    }

    internal void Load(CheckpointState state, string prefix)
    {
        Clear();
        Epoch = state.GetValue<int>(prefix + "epoch");
        _bestRmse = BitConverter.Int64BitsToDouble(state.GetValue<long>(prefix + "rmseBits"));
        foreach (var name in state.GetValue<string[]>(prefix + "names"))
            _state.Add((name, state.Get(prefix + name).DetachFromDisposeScope()));
    }

    void Clear()
    {
        foreach (var (_, value) in _state) value.Dispose();
        _state.Clear();
    }

    public void Dispose() => Clear();
}
