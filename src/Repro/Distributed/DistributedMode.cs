namespace Repro.Advanced;

/// <summary>How the ranks of a data-parallel run combine their gradients each step.</summary>
public enum DistributedMode
{
    /// <summary>
    /// The micro-batch gradients are summed in a fixed-shape pairwise tree over the micro-batch index after
    /// an all-gather (docs/distributed.md): the same bits on 1, 2, 4 or 8 GPUs, so a baseline recorded on
    /// eight verifies on one. The baseline key does not name the world size.
    /// </summary>
    WorldSizeInvariant,

    /// <summary>
    /// Each rank sums its own micro-batches, then one NCCL all-reduce with the algorithm and protocol pinned:
    /// run-to-run identical on a given world size, other bits on another, so the key names it (-gpusN).
    /// </summary>
    AllReduce,
}
