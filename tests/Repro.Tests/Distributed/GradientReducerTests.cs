using Repro.Xunit;
using Xunit;
using Repro.Tests.Doctor;
using static TorchSharp.torch;

namespace Repro.Tests.Distributed;

// The reducer over a simulated world leaves, on every rank, the fixed tree of all the global batch's
// micro-batch gradients divided by their count: the bits of one rank, whether ranks exchanged partial
// sums (power-of-two blocks) or every leaf (other blocks).
[Collection(ReproCollection.Name)]
public sealed class GradientReducerTests
{
    // Micro-batch m's gradient of a parameter vector: fixed numbers of many magnitudes.
    static float[] Gradient(int microBatch, int length)
    {
        var random = RandomStreams.Create(microBatch, "reducer-gradient");
        return [.. Enumerable.Range(0, length).Select(_ => (float)(random.NextGaussian() * Math.Pow(10, random.Next(-5, 6))))];
    }

    static float[][] Reduce(int microBatches, int worldSize, DistributedMode mode)
    {
        const int Length = 300;
        using var guard = TrainingGuard.Enter("reducer test");
        return new SimulatedWorld(worldSize).Run(communicator =>
        {
            using var scope = NewDisposeScope();
            using var parameter = new TorchSharp.Modules.Parameter(zeros(Length), requires_grad: true);
            using var flat = FlatParameters.Create([("w", parameter)]);
            var split = MicroBatchSplit.Create(microBatches, worldSize);
            using var reducer = new GradientReducer(communicator, flat, split, mode);
            var (offset, length) = split.Block(communicator.Rank).GetOffsetAndLength(microBatches);
            for (var m = offset; m < offset + length; m++)
            {
                reducer.BeginMicroBatch();
                // What backward leaves: d(sum(w * g))/dw = g.
                (parameter * tensor(Gradient(m, Length))).sum().backward();
                reducer.Keep();
            }
            reducer.Reduce();
            return parameter.grad!.data<float>().ToArray();
        });
    }

    [Theory]
    [InlineData(8, 2)]
    [InlineData(8, 4)]
    [InlineData(8, 8)]
    [InlineData(12, 2)]
    [InlineData(12, 3)]
    [InlineData(12, 4)]
    public void Every_rank_gets_the_one_rank_tree_of_all_micro_batches(int microBatches, int worldSize)
    {
        NativeRuntime.EnsureInitialized();
        var expected = ScalarTree.Sum([.. Enumerable.Range(0, microBatches).Select(m => Gradient(m, 300))]).Select(v => v * (float)(1.0 / microBatches)).ToArray();
        Assert.Equal(expected, Assert.Single(Reduce(microBatches, 1, DistributedMode.WorldSizeInvariant)));
        foreach (var rank in Reduce(microBatches, worldSize, DistributedMode.WorldSizeInvariant)) Assert.Equal(expected, rank);
    }

    [Fact]
    public void The_all_reduce_mode_agrees_across_ranks_but_not_with_the_tree()
    {
        NativeRuntime.EnsureInitialized();
        var ranks = Reduce(8, 4, DistributedMode.AllReduce);
        foreach (var rank in ranks[1..]) Assert.Equal(ranks[0], rank);
        // Its order is the world's (here: each rank's two, then ranks in order), not the tree's: why it has a key per world size.
        Assert.NotEqual(Reduce(8, 1, DistributedMode.WorldSizeInvariant)[0], ranks[0]);
    }

    [Fact]
    public void Reducing_before_every_micro_batch_is_kept_is_an_error_naming_the_count()
    {
        NativeRuntime.EnsureInitialized();
        using var guard = TrainingGuard.Enter("reducer misuse");
        using var parameter = new TorchSharp.Modules.Parameter(zeros(4), requires_grad: true);
        using var flat = FlatParameters.Create([("w", parameter)]);
        using var reducer = new GradientReducer(new SingleRank(), flat, MicroBatchSplit.Create(4, 1), DistributedMode.WorldSizeInvariant);
        reducer.BeginMicroBatch();
        parameter.sum().backward();
        reducer.Keep();
        Assert.Contains("after 1 micro-batches, but holds 4", Assert.Throws<ReproException>(reducer.Reduce).Message);
    }
}
