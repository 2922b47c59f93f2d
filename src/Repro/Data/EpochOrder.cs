namespace Repro.Advanced;

/// <summary>
/// Sample order per epoch as a pure function of (seed, epoch). A PyTorch-style DataLoader keeps one
/// generator across epochs, so the order of epoch 3 depends on whether the loader was reused or
/// recreated (e.g. after resuming from a checkpoint); deriving each epoch's order from
/// <c>RandomStreams.Create(seed, "epoch-order", epoch)</c> leaves nothing to carry over.
/// </summary>
public static class EpochOrder
{
    /// <summary>Name of the random stream behind every epoch's order.</summary>
    public const string StreamName = "epoch-order";

    /// <summary>A shuffled permutation of <c>0..count-1</c> for this epoch.</summary>
    public static int[] Permutation(long seed, int epoch, int count)
    {
        if (epoch < 0) throw new ReproException($"Epoch {epoch} must be 0 or more.");
        if (count < 0) throw new ReproException($"Sample count {count} must be 0 or more.");
        var order = new int[count];
        for (var i = 0; i < count; i++) order[i] = i;
        RandomStreams.Create(seed, StreamName, epoch).ShuffleInPlace(order.AsSpan());
        return order;
    }

    /// <summary>The hash of an order as fingerprints record it (<c>batchOrderHash</c>).</summary>
    public static string Hash(ReadOnlySpan<int> order) => TensorHasher.HashInts(order);

    /// <summary>
    /// This epoch's permutation cut into consecutive batches of <paramref name="batchSize"/>; the last
    /// batch is smaller unless <paramref name="dropLast"/> drops it.
    /// </summary>

    public static IReadOnlyList<ArraySegment<int>> Batches(long seed, int epoch, int count, int batchSize, bool dropLast = false) =>
        Split(Permutation(seed, epoch, count), batchSize, dropLast);

    /// <summary>Cuts an order into consecutive batches of <paramref name="batchSize"/> (the last one shorter unless dropped).</summary>
    public static IReadOnlyList<ArraySegment<int>> Split(int[] order, int batchSize, bool dropLast)
    {
        if (batchSize < 1) throw new ReproException($"Batch size {batchSize} must be at least 1.");
        var batches = new List<ArraySegment<int>>();
        for (var start = 0; start < order.Length; start += batchSize)
        {
            var size = Math.Min(batchSize, order.Length - start);
            if (size < batchSize && dropLast) break;
            batches.Add(new ArraySegment<int>(order, start, size));
        }
        return batches;
    }
}
