namespace Repro.DualTask;

/// <summary>
/// A known cause of non-reproducible training, switched on deliberately. Exists only for the
/// doctor's fault catalogue and its tests: each value proves that <see cref="Doctor"/> detects
/// that cause from evidence and names it. Never set it in a real configuration.
/// </summary>
public enum InjectedFault
{
    /// <summary>No fault: the ordinary, reproducible training.</summary>
    None,
    /// <summary>The model is initialised after <c>torch.random.seed()</c> (an unseeded generator).</summary>
    UnseededTorchGenerator,
    /// <summary>The dataset is perturbed by an unseeded <c>new Random()</c>.</summary>
    UnseededDataRandomness,
    /// <summary>Batch order comes from a static generator that keeps its state between trainings in one process.</summary>
    StatefulBatchOrder,
    /// <summary>Batches are prepared in parallel by workers that add noise from unseeded per-thread generators.</summary>
    UnseededBatchWorkers,
    /// <summary>Training units are ordered by iterating a hash set of unit names (string hashing is randomised per process).</summary>
    ProcessRandomisedHashing,
    /// <summary>Training runs with a different intra-op thread count than the configuration pins.</summary>
    ThreadCountChanged,
    /// <summary>A second training is started on another thread while the first runs.</summary>
    ConcurrentTraining,
    /// <summary>cuDNN benchmark on and cuDNN deterministic off.</summary>
    CudnnNondeterministic,
    /// <summary>Deterministic algorithms off and an atomics-based <c>index_add_</c> stage after <c>pool</c>.</summary>
    AtomicsKernel,
    /// <summary>TF32 allowed for cuBLAS and cuDNN.</summary>
    Tf32Enabled,
    /// <summary>A tiny random perturbation after <c>lstm</c> on every second training in the process (tests the localiser).</summary>
    PerturbedLstmOnRerun,
}
