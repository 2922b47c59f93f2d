namespace Repro.Advanced;

/// <summary>
/// A check's opt-in to data-parallel training (<see cref="TrainingCheck.Distributed"/>): each global batch is cut
/// into <see cref="MicroBatches"/> micro-batches, a number that does not depend on how many GPUs train, and each
/// rank computes the gradients of a contiguous block of them (docs/distributed.md).
/// </summary>
/// <remarks>
/// The micro-batch count changes the numbers even on one GPU (each micro-batch is its own forward and backward),
/// so a check that opts in should name these options in its <see cref="TrainingCheck.Settings"/>.
/// </remarks>
public sealed record DistributedOptions
{
    /// <summary>Micro-batches per global batch; the world size must divide it (8 serves 1, 2, 4 and 8 GPUs).</summary>
    public int MicroBatches { get; init; } = 8;

    /// <summary>How gradients are combined; <see cref="DistributedMode.WorldSizeInvariant"/> by default.</summary>
    public DistributedMode Mode { get; init; } = DistributedMode.WorldSizeInvariant;

    /// <summary>Checks the fields; the first invalid one is an error naming the fix.</summary>
    public void Validate()
    {
        if (MicroBatches < 1)
            throw new ReproException($"DistributedOptions.MicroBatches={MicroBatches} must be at least 1 (e.g. 8, which serves 1, 2, 4 and 8 GPUs).");
        if (!Enum.IsDefined(Mode))
            throw new ReproException($"DistributedOptions.Mode={(int)Mode} is not a mode; use WorldSizeInvariant or AllReduce.");
    }
}
