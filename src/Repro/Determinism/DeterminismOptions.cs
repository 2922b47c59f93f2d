using System.Text.Json.Serialization;

namespace Repro;

/// <summary>
/// Every switch the source chapter and the practitioners' findings rely on. The defaults are the
/// reproducible choice; each property says what turning it off costs.
/// </summary>
public sealed record DeterminismOptions
{
    /// <summary>Master seed: torch CPU and CUDA generators and every named .NET stream derive from it.</summary>
    public long Seed { get; init; } = 42;

    /// <summary>Where to run; Auto follows REPRO_DEVICE when it is set, else picks CUDA when a CUDA libtorch and GPU are present.</summary>
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

    /// <summary>
    /// The portable CPU profile: MKL's vendor-independent code path (MKL_CBWR=COMPATIBLE, set before
    /// libtorch loads), square roots in Repro's optimizer taken through float64, and .NET's SIMD width
    /// pinned to 256 bits where Repro starts the process (dotnet test, its child processes, the CLI). CPU
    /// baselines then hold on every x86-64 vendor under one key (cpu-x86-avx2/...). Off keeps MKL's
    /// fastest vendor-specific kernels (a 1024^3 matmul measured 2-4x faster, docs/portable-cpu.md); keys
    /// then name the CPU vendor (cpu-amd-avx2/...). No effect on CUDA numerics. The default follows
    /// REPRO_CPU_PROFILE (portable, the default, or native; -p:ReproCpuProfile=native for dotnet test).
    /// </summary>
    [JsonIgnore]
    public bool PortableCpu { get; init; } = CpuProfile.FromEnvironment();

    // In settings JSON only when off, so that a check's config hash (and its CUDA baselines, whose numbers
    // the profile does not touch) stays what it was before the profile existed.
    [JsonInclude, JsonPropertyName("portableCpu"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    bool? PortableCpuSetting { get => PortableCpu ? null : false; init => PortableCpu = value ?? true; }

    /// <summary>cuBLAS workspace config required for deterministic cuBLAS (":4096:8" or ":16:8").</summary>
    public string CublasWorkspaceConfig { get; init; } = ":4096:8";

    /// <summary>
    /// Checks every field without touching libtorch (call it before any long work; <see cref="Repro.Advanced.Determinism.Apply"/> does).
    /// </summary>
    /// <exception cref="ReproException">The first invalid field, its value and the fix, in one line.</exception>
    public void Validate()
    {
        if (!Enum.IsDefined(Device))
            throw new ReproException($"DeterminismOptions.Device={(int)Device} is not a device. Use auto (REPRO_DEVICE when set, else CUDA when available), cpu or cuda.");
        if (IntraOpThreads is < 1 or > 1024)
            throw new ReproException($"DeterminismOptions.IntraOpThreads={IntraOpThreads} must be at least 1 and at most 1024 (pin a fixed count such as 1 or 2).");
        if (CublasWorkspaceConfig is null)
            throw new ReproException("DeterminismOptions.CublasWorkspaceConfig is null; use :4096:8 (the default) or :16:8.");
        Repro.Advanced.Determinism.ValidateCublasConfig(CublasWorkspaceConfig, "DeterminismOptions.CublasWorkspaceConfig");
        Repro.Advanced.Determinism.ValidateCpuCapability(CpuCapability);
        if (WarnOnly && !DeterministicAlgorithms)
            throw new ReproException("DeterminismOptions.WarnOnly=true has no effect with DeterministicAlgorithms=false; " +
                "set DeterministicAlgorithms=true (warn on non-deterministic kernels) or WarnOnly=false.");
    }

    /// <summary>Everything off: what PyTorch does when nobody asks for reproducibility.</summary>
    public static DeterminismOptions Off { get; } = new()
    {
        CudnnDeterministic = false,
        CudnnBenchmark = true,
        DeterministicAlgorithms = false,
        FillUninitializedMemory = false,
        AllowTF32 = true,
        CpuCapability = null,
        PortableCpu = false,
    };
}
