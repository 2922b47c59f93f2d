using Xunit;
using static TorchSharp.torch;

namespace Repro.Tests.Distributed;

// The tree on tensors is the tree on floats, element for element; its order is not a left-to-right sum's;
// and a rank's power-of-two block is a node of it, which is what lets ranks exchange partial sums.
public sealed class FixedOrderSumTests
{
    // Values across many magnitudes, so that the order of additions shows in the bits.
    static float[][] Leaves(int count, int length, int seed)
    {
        var random = RandomStreams.Create(seed, "fixed-order-sum");
        return [.. Enumerable.Range(0, count).Select(_ => Enumerable.Range(0, length).Select(_ => (float)(random.NextGaussian() * Math.Pow(10, random.Next(-6, 7)))).ToArray())];
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(8)]
    [InlineData(12)]
    public void The_tensor_tree_equals_the_scalar_tree_bit_for_bit(int count)
    {
        NativeRuntime.EnsureInitialized();
        var leaves = Leaves(count, 1031, count);
        using var scope = NewDisposeScope();
        var sum = FixedOrderSum.SumInPlace([.. leaves.Select(l => tensor(l))]);
        Assert.Equal(ScalarTree.Sum(leaves), sum.data<float>().ToArray());
    }

    [Fact]
    public void The_tree_is_not_a_left_to_right_sum()
    {
        var leaves = Leaves(8, 1031, 99);
        var left = new float[leaves[0].Length];
        foreach (var leaf in leaves)
            for (var e = 0; e < left.Length; e++) left[e] += leaf[e];
        Assert.NotEqual(left, ScalarTree.Sum(leaves));
    }

    [Theory]
    [InlineData(8, 2)]
    [InlineData(8, 4)]
    [InlineData(12, 3)]
    public void A_power_of_two_block_is_a_node_so_partial_sums_give_the_full_tree(int count, int worldSize)
    {
        var leaves = Leaves(count, 257, count + worldSize);
        var block = count / worldSize;
        var partials = Enumerable.Range(0, worldSize).Select(r => ScalarTree.Sum(leaves[(r * block)..((r + 1) * block)])).ToList();
        Assert.True(FixedOrderSum.BlocksAreSubtrees(MicroBatchSplit.Create(count, worldSize)));
        Assert.Equal(ScalarTree.Sum(leaves), ScalarTree.Sum(partials));
    }

    [Fact]
    public void A_block_of_three_is_not_a_node_and_is_not_treated_as_one()
    {
        var leaves = Leaves(12, 257, 5);
        Assert.False(FixedOrderSum.BlocksAreSubtrees(MicroBatchSplit.Create(12, 4)));
        var partials = Enumerable.Range(0, 4).Select(r => ScalarTree.Sum(leaves[(r * 3)..((r + 1) * 3)])).ToList();
        Assert.NotEqual(ScalarTree.Sum(leaves), ScalarTree.Sum(partials));
    }

    [Fact]
    public void No_leaves_is_an_error() => Assert.Throws<ReproException>(() => FixedOrderSum.SumInPlace(Array.Empty<Tensor>()));
}
