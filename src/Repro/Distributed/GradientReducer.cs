using static TorchSharp.torch;

namespace Repro;

// One rank's gradient reduction, once per step, on the flat gradient buffers (one per chunk of a
// FlatParameters). The rank computes its micro-batches one after another and hands each one's gradient
// over with Keep; Reduce then leaves in the gradient buffers the mean over all the global batch's
// micro-batches, the same on every rank, so the optimizer (and an EMA) step identically everywhere.
//   WorldSizeInvariant: the micro-batch gradients are kept apart and summed in FixedOrderSum's tree;
//   ranks exchange their blocks' partial sums (or every leaf, when a block is not a node of the tree)
//   by all-gather, which copies, so every world size adds the same numbers in the same order.
//   AllReduce: backward accumulates the rank's micro-batches in place, then one all-reduce.
internal sealed class GradientReducer : IDisposable
{
    readonly ICommunicator _communicator;
    readonly FlatParameters _flat;
    // Per chunk: this rank's micro-batch gradients (PerRank buffers, reused every step) and the all-gather's receive buffer.
    readonly Tensor?[][] _leaves;
    readonly Tensor?[] _gathered;
    readonly double _scale;
    int _kept;

    internal GradientReducer(ICommunicator communicator, FlatParameters flat, MicroBatchSplit split, DistributedMode mode)
    {
        if (split.WorldSize != communicator.WorldSize)
            throw new ReproException($"The micro-batch split is for {split.WorldSize} ranks but the communicator has {communicator.WorldSize}.");
        _communicator = communicator;
        _flat = flat;
        Split = split;
        Mode = mode;
        _leaves = [.. flat.Layout.Select(_ => new Tensor?[mode == DistributedMode.WorldSizeInvariant ? split.PerRank : 0])];
        _gathered = new Tensor?[flat.Layout.Count];
        // The gradient of the global batch's mean loss when each micro-batch's loss is its own mean; exact for a power-of-two count.
        _scale = 1.0 / split.MicroBatches;
    }

    internal MicroBatchSplit Split { get; }

    internal DistributedMode Mode { get; }

    // Before a micro-batch's backward: the gradient buffers start from zero (invariant) or keep accumulating (all-reduce).
    internal void BeginMicroBatch()
    {
        if (Mode == DistributedMode.WorldSizeInvariant || _kept == 0) _flat.ZeroGrad();
    }

    // After a micro-batch's backward: its gradient, in the flat layout.
    internal void Keep()
    {
        if (_kept == Split.PerRank)
            throw new ReproException($"Rank {_communicator.Rank} kept {_kept + 1} micro-batch gradients in one step, but holds {Split.PerRank} of each global batch; call Reduce once per step.");
        // Gradients autograd created go into the buffer's views, as the flat optimizer would do, so the buffers hold them all.
        foreach (var chunk in _flat.Layout) chunk.AdoptGradients();
        if (Mode == DistributedMode.WorldSizeInvariant)
            for (var c = 0; c < _flat.Layout.Count; c++)
            {
                var gradients = _flat.Layout[c].Gradients;
                using var noGrad = no_grad();
                (_leaves[c][_kept] ??= empty_like(gradients).DetachFromDisposeScope()).copy_(gradients);
            }
        _kept++;
    }

    // After the rank's last micro-batch of the step: the mean gradient of the global batch in every buffer.
    internal void Reduce()
    {
        if (_kept != Split.PerRank)
            throw new ReproException($"Rank {_communicator.Rank} reduces after {_kept} micro-batches, but holds {Split.PerRank} of each global batch: " +
                "compute each of them (MicroBatchSplit.ForRank) before Reduce.");
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        for (var c = 0; c < _flat.Layout.Count; c++)
        {
            var gradients = _flat.Layout[c].Gradients;
            if (Mode == DistributedMode.AllReduce) _communicator.AllReduceSum(gradients);
            else gradients.copy_(TreeSum(c, gradients));
            gradients.mul_(_scale);
        }
        _kept = 0;
    }

    // The tree over every micro-batch of the global batch, in buffers this reducer owns (their contents are spent).
    Tensor TreeSum(int chunk, Tensor like)
    {
        var leaves = _leaves[chunk].Select(l => l!).ToList();
        var world = Split.WorldSize;
        if (world == 1) return FixedOrderSum.SumInPlace(leaves);
        var n = like.NumberOfElements;
        if (FixedOrderSum.BlocksAreSubtrees(Split))
        {
            // The block's own node of the tree, then the top of the tree over the ranks' nodes.
            var node = FixedOrderSum.SumInPlace(leaves);
            var gathered = _gathered[chunk] ??= empty([world, n], like.dtype, like.device).DetachFromDisposeScope();
            _communicator.AllGather(node.view(-1), gathered);
            return FixedOrderSum.SumInPlace([.. Enumerable.Range(0, world).Select(r => gathered[r])]).view(like.shape);
        }
        // A block that is no node of the tree: every leaf goes to every rank, which then builds the whole tree.
        var all = _gathered[chunk] ??= empty([Split.MicroBatches, n], like.dtype, like.device).DetachFromDisposeScope();
        var mine = stack(leaves.Select(l => l.view(-1)).ToArray());
        _communicator.AllGather(mine, all);
        return FixedOrderSum.SumInPlace([.. Enumerable.Range(0, Split.MicroBatches).Select(m => all[m])]).view(like.shape);
    }

    // Rank 0's parameters on every rank: replicas built from one seed already agree; this makes it so whatever built them.
    internal void BroadcastParameters()
    {
        using var noGrad = no_grad();
        foreach (var chunk in _flat.Chunks) _communicator.Broadcast(chunk, root: 0);
    }

    public void Dispose()
    {
        foreach (var leaves in _leaves)
            foreach (var leaf in leaves) leaf?.Dispose();
        foreach (var gathered in _gathered) gathered?.Dispose();
    }
}
