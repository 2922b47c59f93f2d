namespace Repro;

/// <summary>
/// Every switch the source chapter and the practitioners' findings rely on. The defaults are the
/// reproducible choice; each property says what turning it off costs.
/// </summary>
public sealed record DeterminismOptions
{
    /// <summary>Master seed: torch CPU and CUDA generators and every named .NET stream derive from it.</summary>
    public long Seed { get; init; } = 42;

    /// <summary>Where to run; Auto picks CUDA when a CUDA libtorch and GPU are present.</summary>
    public DeviceRequest Device { get; init; } = DeviceRequest.Auto;

    /// <summary>cuDNN picks deterministic algorithms (the chapter's <c>cudnn.deterministic = True</c>).</summary>
    public bool CudnnDeterministic { get; init; } = true;

    /// <summary>cuDNN autotuning; on, algorithm choice depends on timing and so varies run to run.</summary>
    public bool CudnnBenchmark { get; init; }

    /// <summary><c>torch.use_deterministic_algorithms</c>: non-deterministic kernels raise (or warn).</summary>
    public bool DeterministicAlgorithms { get; init; } = true;

    /// <summary>With <see cref="DeterministicAlgorithms"/>, warn instead of raising.</summary>
    public bool WarnOnly { get; init; }

    /// <summary>Fill torch.empty() memory with a known pattern so uninitialised reads cannot differ.</summary>
    public bool FillUninitializedMemory { get; init; } = true;

    /// <summary>TF32 for cuBLAS matmuls and cuDNN convolutions; faster on Ampere+, different numbers.</summary>
    public bool AllowTF32 { get; init; }

    /// <summary>Intra-op CPU threads; pinned because CPU reductions may split work by thread count.</summary>
    public int IntraOpThreads { get; init; } = 2;

    /// <summary>
    /// Pin the CPU kernel level (e.g. "avx2", "default") so results do not depend on the CPU model.
    /// Null uses whatever the CPU offers. Takes effect only before libtorch loads.
    /// </summary>
    public string? CpuCapability { get; init; } = "avx2";

    /// <summary>cuBLAS workspace config required for deterministic cuBLAS (":4096:8" or ":16:8").</summary>
    public string CublasWorkspaceConfig { get; init; } = ":4096:8";

    /// <summary>Everything off: what PyTorch does when nobody asks for reproducibility.</summary>
    public static DeterminismOptions Off { get; } = new()
    {
        CudnnDeterministic = false,
        CudnnBenchmark = true,
        DeterministicAlgorithms = false,
        FillUninitializedMemory = false,
        AllowTF32 = true,
        CpuCapability = null,
    };
}
