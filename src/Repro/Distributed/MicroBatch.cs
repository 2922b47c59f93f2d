namespace Repro.Advanced;

/// <summary>One micro-batch of a global batch: its index there, its sample indices, and the seed its random draws (dropout) take.</summary>
/// <param name="Index">Position in the global batch (0 .. micro-batches - 1), the same on every world size.</param>
/// <param name="Samples">The sample indices, a slice of the epoch order.</param>
/// <param name="Seed">From <see cref="MicroBatchRandom.Seed"/>: for <c>new torch.Generator(Seed)</c>, so a rank's draws do not depend on what it computed before.</param>
public readonly record struct MicroBatch(int Index, ArraySegment<int> Samples, long Seed);
