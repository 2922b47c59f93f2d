using Xunit;

namespace Repro.Tests.Distributed;

public sealed class MicroBatchSplitTests
{
    static ArraySegment<int> Batch(int size) => new(EpochOrder.Permutation(7, 1, size));

    [Theory]
    [InlineData(8, 1)]
    [InlineData(8, 2)]
    [InlineData(8, 4)]
    [InlineData(8, 8)]
    [InlineData(12, 3)]
    public void The_ranks_blocks_are_contiguous_and_together_are_the_world_size_free_split(int microBatches, int worldSize)
    {
        var batch = Batch(48);
        var alone = MicroBatchSplit.Create(microBatches, 1).Split(batch);
        var split = MicroBatchSplit.Create(microBatches, worldSize);
        var gathered = Enumerable.Range(0, worldSize).SelectMany(r => split.ForRank(batch, r)).ToList();
        Assert.Equal(Enumerable.Range(0, microBatches), gathered.Select(m => m.Index));
        Assert.Equal(alone.Select(m => m.ToArray()), gathered.Select(m => m.Samples.ToArray()));
        Assert.Equal(batch.ToArray(), alone.SelectMany(m => m).ToArray());
        Assert.All(Enumerable.Range(0, worldSize), r => Assert.Equal(microBatches / worldSize, split.ForRank(batch, r).Count));
    }

    [Theory]
    [InlineData(8, 3, "use a world size that divides 8 (1, 2, 4, 8)")]
    [InlineData(4, 8, "use --gpus 4 or fewer")]
    [InlineData(0, 1, "at least 1")]
    [InlineData(8, 0, "--gpus N")]
    public void A_world_that_cannot_share_the_micro_batches_is_refused_with_the_fix(int microBatches, int worldSize, string fix) =>
        Assert.Contains(fix, Assert.Throws<ReproException>(() => MicroBatchSplit.Create(microBatches, worldSize)).Message);

    [Theory]
    [InlineData(30)]
    [InlineData(4)]
    public void A_batch_that_does_not_cut_into_equal_micro_batches_is_refused_with_the_fix(int size)
    {
        var error = Assert.Throws<ReproException>(() => MicroBatchSplit.Create(8, 2).Split(Batch(size)));
        Assert.Contains($"{size} samples", error.Message);
        Assert.Contains("multiple of 8", error.Message);
        Assert.Contains("dropLast: true", error.Message);
    }

    [Fact]
    public void A_rank_outside_the_world_is_refused() =>
        Assert.Contains("ranks 0..1", Assert.Throws<ReproException>(() => MicroBatchSplit.Create(4, 2).ForRank(Batch(8), 2)).Message);
}
