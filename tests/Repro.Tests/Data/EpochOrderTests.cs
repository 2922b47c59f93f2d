using Xunit;

namespace Repro.Tests.Data;

public class EpochOrderTests
{
    [Fact]
    public void Each_epoch_order_is_a_permutation()
    {
        for (var epoch = 0; epoch < 5; epoch++)
            Assert.Equal(Enumerable.Range(0, 1000), EpochOrder.Permutation(42, epoch, 1000).Order());
    }

    [Fact]
    public void Orders_differ_across_epochs_and_seeds()
    {
        var epoch0 = EpochOrder.Permutation(42, 0, 500);
        Assert.NotEqual(epoch0, EpochOrder.Permutation(42, 1, 500));
        Assert.NotEqual(epoch0, EpochOrder.Permutation(43, 0, 500));
        Assert.NotEqual(Enumerable.Range(0, 500), epoch0);
    }

    [Fact]
    public void An_order_is_identical_when_recomputed_in_any_sequence()
    {
        var forward = Enumerable.Range(0, 6).Select(e => EpochOrder.Permutation(7, e, 300)).ToArray();
        var backward = Enumerable.Range(0, 6).Reverse().Select(e => EpochOrder.Permutation(7, e, 300)).Reverse().ToArray();
        for (var e = 0; e < 6; e++) Assert.Equal(forward[e], backward[e]);
    }

    [Fact]
    public void Batches_cut_the_permutation_in_order_and_keep_or_drop_the_remainder()
    {
        var permutation = EpochOrder.Permutation(3, 2, 103);
        var batches = EpochOrder.Batches(3, 2, 103, 10);
        Assert.Equal(11, batches.Count);
        Assert.All(batches.Take(10), b => Assert.Equal(10, b.Count));
        Assert.Equal(3, batches[^1].Count);
        Assert.Equal(permutation, batches.SelectMany(b => b));

        var dropped = EpochOrder.Batches(3, 2, 103, 10, dropLast: true);
        Assert.Equal(10, dropped.Count);
        Assert.Equal(permutation.Take(100), dropped.SelectMany(b => b));
    }

    [Fact]
    public void A_batch_size_below_one_is_rejected()
    {
        var ex = Assert.Throws<ReproException>(() => EpochOrder.Batches(1, 0, 10, 0));
        Assert.Contains("Batch size", ex.Message);
    }
}
