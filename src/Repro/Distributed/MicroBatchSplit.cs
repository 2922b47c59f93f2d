namespace Repro;

// Cuts a global batch (sample indices in epoch order) into a fixed number of equal micro-batches and
// gives rank r the contiguous block [r*PerRank, (r+1)*PerRank). The micro-batches depend on the batch
// and the count only, never on the world size: that is what lets 1 and 8 GPUs compute the same
// micro-batch gradients.
internal sealed record MicroBatchSplit
{
    MicroBatchSplit(int microBatches, int worldSize)
    {
        MicroBatches = microBatches;
        WorldSize = worldSize;
    }

    internal int MicroBatches { get; }

    internal int WorldSize { get; }

    // Micro-batches each rank computes.
    internal int PerRank => MicroBatches / WorldSize;

    internal static MicroBatchSplit Create(int microBatches, int worldSize)
    {
        if (microBatches < 1)
            throw new ReproException($"{microBatches} micro-batches: a global batch needs at least 1 (DistributedOptions.MicroBatches; 8 serves 1, 2, 4 and 8 GPUs).");
        if (worldSize < 1)
            throw new ReproException($"World size {worldSize} must be at least 1 (--gpus N).");
        if (worldSize > microBatches)
            throw new ReproException($"{worldSize} GPUs for {microBatches} micro-batches would leave {worldSize - microBatches} GPU(s) without work: use --gpus {microBatches} or fewer, " +
                $"or raise DistributedOptions.MicroBatches to a multiple of {worldSize}.");
        if (microBatches % worldSize != 0)
            throw new ReproException($"{worldSize} GPUs cannot share {microBatches} micro-batches equally: " +
                $"use a world size that divides {microBatches} ({string.Join(", ", Divisors(microBatches))}), or set DistributedOptions.MicroBatches to a multiple of {worldSize}.");
        return new MicroBatchSplit(microBatches, worldSize);
    }

    // The micro-batch indices rank r computes.
    internal Range Block(int rank)
    {
        if (rank < 0 || rank >= WorldSize) throw new ReproException($"Rank {rank} is outside a world of {WorldSize} (ranks 0..{WorldSize - 1}).");
        return new Range(rank * PerRank, (rank + 1) * PerRank);
    }

    // Every micro-batch of the batch, in micro-batch order.
    internal IReadOnlyList<ArraySegment<int>> Split(ArraySegment<int> batch)
    {
        if (batch.Count < MicroBatches || batch.Count % MicroBatches != 0)
            throw new ReproException($"A global batch of {batch.Count} samples cannot be cut into {MicroBatches} equal micro-batches: use a batch size that is a multiple of {MicroBatches}, " +
                "and drop a shorter last batch (Batches(count, batchSize, dropLast: true)) unless the sample count is a multiple of it too.");
        var size = batch.Count / MicroBatches;
        return [.. Enumerable.Range(0, MicroBatches).Select(m => batch.Slice(m * size, size))];
    }

    // The micro-batches of this rank's block, each with its index in the global batch.
    internal IReadOnlyList<(int Index, ArraySegment<int> Samples)> ForRank(ArraySegment<int> batch, int rank)
    {
        var all = Split(batch);
        var (offset, length) = Block(rank).GetOffsetAndLength(MicroBatches);
        return [.. Enumerable.Range(offset, length).Select(m => (m, all[m]))];
    }

    static IEnumerable<int> Divisors(int n) => Enumerable.Range(1, n).Where(d => n % d == 0);
}
