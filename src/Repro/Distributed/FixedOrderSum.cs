using static TorchSharp.torch;

namespace Repro;

// The one order in which micro-batch gradients are summed: a pairwise tree over the micro-batch index
// whose shape depends on the count alone. Each level adds neighbours (0+1, 2+3, ...) and carries an odd
// last one up unchanged. Floating-point addition is not associative, so fixing the shape is what makes
// the sum the same bits wherever the leaves were computed. A contiguous block of 2^k leaves starting at a
// multiple of 2^k is a node of this tree, so a rank may reduce its own block first (Subtree) and the
// top of the tree over those partial sums is the same tree.
internal static class FixedOrderSum
{
    // The tree computed in the leaves' own memory, which it overwrites; returns leaves[0], the sum.
    // Level by level, the node at i takes in its right neighbour at i + stride: at stride s the nodes are
    // the leaves at multiples of s, each adding the one s further when there is one, else carried up.
    // In place, a step allocates nothing, so the tree costs what a left-to-right sum of the leaves costs.
    internal static Tensor SumInPlace(IReadOnlyList<Tensor> leaves)
    {
        if (leaves.Count == 0) throw new ReproException("A fixed-order sum needs at least one micro-batch gradient.");
        using var noGrad = no_grad();
        for (var stride = 1; stride < leaves.Count; stride *= 2)
            for (var i = 0; i + stride < leaves.Count; i += 2 * stride)
                leaves[i].add_(leaves[i + stride]);
        return leaves[0];
    }

    // Whether each rank's block (PerRank leaves) is a node of the tree, so ranks may exchange one partial
    // sum each instead of every leaf: a power-of-two block, or a single rank holding them all.
    internal static bool BlocksAreSubtrees(MicroBatchSplit split) => split.WorldSize == 1 || int.IsPow2(split.PerRank);
}
