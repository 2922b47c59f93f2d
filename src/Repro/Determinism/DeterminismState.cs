namespace Repro.Advanced;

/// <summary>The determinism switches as libtorch and the native environment report them right now.</summary>
public sealed record DeterminismState(
    string Device,
    long InitialSeed,
    bool CudnnDeterministic,
    bool CudnnBenchmark,
    bool DeterministicAlgorithms,
    bool WarnOnly,
    bool FillUninitializedMemory,
    bool AllowTF32CuBLAS,
    bool AllowTF32CuDNN,
    int IntraOpThreads,
    string CpuCapability,
    string? CublasWorkspaceConfig);
