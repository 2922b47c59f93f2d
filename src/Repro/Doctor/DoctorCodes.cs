namespace Repro;

/// <summary>The finding codes <see cref="Doctor"/> reports; stable, so CI can match on them.</summary>
internal static class DoctorCodes
{
    // Evidence from running the same config twice (non-determinism).
    public const string UnseededTorchGenerator = "unseeded-torch-generator";
    public const string UnseededDataRandomness = "unseeded-data-randomness";
    public const string StatefulBatchOrder = "stateful-batch-order";
    public const string UnseededBatchWorkers = "unseeded-batch-workers";
    public const string UnseededBatchRandomness = "unseeded-batch-randomness";
    public const string ProcessRandomisedHashing = "process-randomised-hashing";
    public const string ConcurrentTraining = "concurrent-training";
    public const string NondeterministicKernel = "nondeterministic-kernel";
    public const string NondeterministicOperation = "nondeterministic-operation";
    public const string RngStateDiverged = "rng-state-diverged";
    public const string DivergenceOutsideTraining = "divergence-outside-training";
    public const string StateSurvivesBetweenTrainings = "state-survives-between-trainings";
    public const string UnseededBatchOrder = "unseeded-batch-order";
    public const string CompletionOrderConsumption = "completion-order-consumption";
    public const string OrderDependentReduction = "order-dependent-reduction";

    // Evidence from perturbed second processes (latent non-determinism) and from the training itself.
    public const string LatentNondeterminism = "latent-nondeterminism";
    public const string CultureDependentData = "culture-dependent-data";
    public const string DataWorkerDependent = "data-worker-dependent";
    public const string NondeterministicOverTime = "nondeterministic-over-time";
    public const string SimdWidthDependent = "simd-width-dependent";
    public const string ClockSeededRandomness = "clock-seeded-randomness";
    public const string ThreadCountSetInTraining = "thread-count-set-in-training";
    public const string GlobalDefaultChanged = "global-default-changed";
    public const string EnumerationOrder = "enumeration-order";
    public const string SecondProcessUnavailable = "second-process-unavailable";

    // The environment audit (switches read back from libtorch and the native environment).
    public const string CudnnNondeterministic = "cudnn-nondeterministic";
    public const string DeterministicAlgorithmsOff = "deterministic-algorithms-off";
    public const string DeterministicWarnOnly = "deterministic-warn-only";
    public const string UninitializedMemoryUnfilled = "uninitialized-memory-unfilled";
    public const string Tf32Enabled = "tf32-enabled";
    public const string CublasWorkspaceMissing = "cublas-workspace-missing";
    public const string CpuCapabilityUnpinned = "cpu-capability-unpinned";
    public const string StringHashRandomised = "string-hash-randomised";
    public const string DotNetSimdOverride = "dotnet-simd-override";
    public const string CpuProfileNative = "cpu-profile-native";
    public const string VendorDependentOptimizer = "vendor-dependent-optimizer";

    // Differences from the baseline's recorded environment (drift causes).
    public const string ThreadCountChanged = "thread-count-changed";
    public const string CpuCapabilityChanged = "cpu-capability-changed";
    public const string CpuProfileChanged = "cpu-profile-changed";
    public const string DotNetSimdWidthChanged = "dotnet-simd-width-changed";
    public const string LibTorchVersionChanged = "libtorch-version-changed";
    public const string TorchSharpVersionChanged = "torchsharp-version-changed";
    public const string DeviceChanged = "device-changed";
    public const string GpuChanged = "gpu-changed";
    public const string CudaVersionChanged = "cuda-version-changed";
    public const string CudnnVersionChanged = "cudnn-version-changed";
    public const string CublasVersionChanged = "cublas-version-changed";
    public const string GpuDriverChanged = "gpu-driver-changed";
    public const string CpuModelChanged = "cpu-model-changed";
    public const string DotNetRuntimeChanged = "dotnet-runtime-changed";
    public const string BaselineDrift = "baseline-drift";
    public const string BaselineWithoutTrace = "baseline-without-trace";
    public const string NoBaseline = "no-baseline";
}
