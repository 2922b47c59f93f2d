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

    void Clear()
    {
        foreach (var (_, value) in _state) value.Dispose();
        _state.Clear();
    }

    public void Dispose() => Clear();
}
