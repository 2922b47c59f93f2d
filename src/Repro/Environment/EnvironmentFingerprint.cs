namespace Repro.Baselines;

/// <summary>
/// Everything about the machine and native stack that can change training numbers, read from the
/// libraries actually loaded in this process.
/// </summary>
public sealed record EnvironmentFingerprint
{
    public required string Device { get; init; }
    public string? GpuModel { get; init; }
    public string? ComputeCapability { get; init; }
    public string? DriverVersion { get; init; }
    public string? CudaRuntimeVersion { get; init; }
    public string? CudaDriverApiVersion { get; init; }
    public string? CudnnVersion { get; init; }
    public string? CublasVersion { get; init; }
    public required string LibTorchVersion { get; init; }
    public required string LibTorchPath { get; init; }
    public required string LibTorchSource { get; init; }
    public required string TorchSharpVersion { get; init; }
    public required string CpuModel { get; init; }

    /// <summary>
    /// CPU vendor ("intel", "amd", ...): MKL and oneDNN pick kernels by vendor even with the ATen
    /// capability pinned, so it is part of the CPU key. Null in baselines recorded before it was read.
    /// </summary>
    public string? CpuVendor { get; init; }
    public required string CpuCapability { get; init; }

    /// <summary>The process architecture ("x64", "arm64"); null in baselines recorded before it was read.</summary>
    public string? CpuArchitecture { get; init; }

    /// <summary>
    /// "portable" (one key for every x86-64 vendor: MKL's compatible path, float64 square roots in
    /// ReproAdamW) or "native" (keys name the vendor); null in baselines recorded before the profile existed.
    /// </summary>
    public string? CpuProfile { get; init; }

    /// <summary>MKL's code path as the loaded libtorch reports it ("compatible", "off", ...); null when unknown.</summary>
    public string? MklBranch { get; init; }

    /// <summary>.NET's widest hardware vector here (512, 256 or 128 bits); it orders TensorPrimitives and Vector&lt;T&gt; sums.</summary>
    public int? ManagedVectorBits { get; init; }
    public required int IntraOpThreads { get; init; }

    /// <summary>Ranks that trained data-parallel; null (and not written) for one process, as in every baseline before issue 25.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public int? WorldSize { get; init; }

    /// <summary>"world-size-invariant" or "all-reduce" when <see cref="WorldSize"/> is above 1; else null.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? DistributedMode { get; init; }

    /// <summary>The collectives' transport ("nccl 2.27.3, NCCL_ALGO=Ring, ..."), when <see cref="WorldSize"/> is above 1.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? Collectives { get; init; }

    /// <summary>NCCL_ALGO pinned for the run, when <see cref="WorldSize"/> is above 1 on NCCL.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? NcclAlgorithm { get; init; }

    /// <summary>NCCL_PROTO pinned for the run, when <see cref="WorldSize"/> is above 1 on NCCL.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? NcclProtocol { get; init; }
    public required int ProcessorCount { get; init; }
    public required string OperatingSystem { get; init; }
    public required string DotNetRuntime { get; init; }

    /// <summary>The baseline folder this environment's numbers belong to, e.g. nvidia-h100-80gb-hbm3/cuda-13.0.</summary>
    public string Key => EnvironmentKey.For(this);

    /// <summary>Reads the fingerprint of this process (initialises the native runtime if needed).</summary>
    public static EnvironmentFingerprint Capture() => EnvironmentProbe.Capture();
}
