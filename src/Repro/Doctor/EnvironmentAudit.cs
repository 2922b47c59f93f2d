using System.Globalization;

namespace Repro;

/// <summary>A fact the audit read back (a switch, a library version), for the report.</summary>
internal sealed record AuditFact(string Name, string Value);

// Reads every determinism switch back from libtorch and the native environment and turns the risky
// ones into findings. On CUDA a GPU-only switch is an error; on CPU it changes nothing here, so it is
// reported as info (the same config would not reproduce on a GPU).
internal static class EnvironmentAudit
{
    static readonly string[] SimdVariables =
        ["DOTNET_EnableHWIntrinsic", "DOTNET_EnableAVX", "DOTNET_EnableAVX2", "DOTNET_EnableAVX512F", "DOTNET_PreferredVectorBitWidth", "DOTNET_EnableSSE41", "DOTNET_EnableFMA"];

    internal static IReadOnlyList<AuditFact> Facts(DeterminismState state, EnvironmentFingerprint environment, Func<string, string?> getenv)
    {
        var facts = new List<AuditFact>
        {
            new("device", state.Device),
            new("environment key", environment.Key),
            new("seed (torch initial_seed)", state.InitialSeed.ToString(CultureInfo.InvariantCulture)),
            new("cudnn.deterministic", Flag(state.CudnnDeterministic)),
            new("cudnn.benchmark", Flag(state.CudnnBenchmark)),
            new("deterministic algorithms", Flag(state.DeterministicAlgorithms) + (state.WarnOnly ? " (warn only)" : "")),
            new("fill uninitialized memory", Flag(state.FillUninitializedMemory)),
            new("allow TF32 cuBLAS", Flag(state.AllowTF32CuBLAS)),
            new("allow TF32 cuDNN", Flag(state.AllowTF32CuDNN)),
            new("intra-op threads", state.IntraOpThreads.ToString(CultureInfo.InvariantCulture)),
            new("processor count", environment.ProcessorCount.ToString(CultureInfo.InvariantCulture)),
            new("CPU capability", state.CpuCapability),
            new("CPU model", environment.CpuModel),
            new("CPU profile", environment.CpuProfile ?? "-"),
            new("MKL code path (MKL_CBWR)", environment.MklBranch ?? "-"),
            new(".NET SIMD width", environment.ManagedVectorBits is { } bits ? bits.ToString(CultureInfo.InvariantCulture) + " bits" : "-"),
            new(Determinism.CublasVariable, getenv(Determinism.CublasVariable) ?? "(not set)"),
            new(Determinism.CpuCapabilityVariable, getenv(Determinism.CpuCapabilityVariable) ?? "(not set)"),
            new("libtorch", $"{environment.LibTorchVersion} ({environment.LibTorchSource})"),
            new("TorchSharp", environment.TorchSharpVersion),
            new("GPU", environment.GpuModel ?? "(none)"),
            new("CUDA runtime / driver API", $"{environment.CudaRuntimeVersion ?? "-"} / {environment.CudaDriverApiVersion ?? "-"}"),
            new("GPU driver", environment.DriverVersion ?? "-"),
            new("cuDNN / cuBLAS", $"{environment.CudnnVersion ?? "-"} / {environment.CublasVersion ?? "-"}"),
            new(".NET", environment.DotNetRuntime),
            new("OS", environment.OperatingSystem),
        };
        foreach (var name in new[] { "OMP_NUM_THREADS", "MKL_NUM_THREADS" })
            if (getenv(name) is { } value) facts.Add(new AuditFact(name, value));
        return facts;
    }

    internal static IEnumerable<DoctorFinding> Findings(DeterminismState state, DeterminismOptions options, Func<string, string?> getenv, string? optimizer = null)
    {
        foreach (var finding in CpuProfileFindings(state, options, optimizer)) yield return finding;
        var cuda = state.Device == "cuda";
        var gpuOnly = cuda ? FindingSeverity.Error : FindingSeverity.Info;
        var onCpu = cuda ? "" : " No effect on CPU, but this config would not reproduce on a GPU.";

        if (state.CudnnBenchmark || !state.CudnnDeterministic)
            yield return new DoctorFinding(DoctorCodes.CudnnNondeterministic, gpuOnly,
                $"cuDNN may pick a different algorithm each run: benchmark={Flag(state.CudnnBenchmark)}, deterministic={Flag(state.CudnnDeterministic)} (read back from libtorch).{onCpu}",
                "at::Context cudnn flags (DeterminismOptions.CudnnBenchmark / CudnnDeterministic)",
                "Set DeterminismOptions { CudnnBenchmark = false, CudnnDeterministic = true } (PyTorch: torch.backends.cudnn.benchmark = False; torch.backends.cudnn.deterministic = True).");
        if (!state.DeterministicAlgorithms)
            yield return new DoctorFinding(DoctorCodes.DeterministicAlgorithmsOff, cuda ? FindingSeverity.Warning : FindingSeverity.Info,
                $"Deterministic algorithms are off: CUDA ops with atomics (index_add_, scatter_add_, some backward kernels) may differ between runs without any error.{onCpu}",
                "at::Context deterministic algorithms (DeterminismOptions.DeterministicAlgorithms)",
                "Set DeterminismOptions.DeterministicAlgorithms = true (torch.use_deterministic_algorithms(True)); an op without a deterministic implementation then raises and names itself.");
        else if (state.WarnOnly)
            yield return new DoctorFinding(DoctorCodes.DeterministicWarnOnly, FindingSeverity.Info,
                "Deterministic algorithms only warn: a non-deterministic op runs anyway after a warning.",
                "DeterminismOptions.WarnOnly", "Set DeterminismOptions.WarnOnly = false so such an op raises instead.");
        if (!state.FillUninitializedMemory)
            yield return new DoctorFinding(DoctorCodes.UninitializedMemoryUnfilled, FindingSeverity.Info,
                "torch.empty() memory is not filled, so a read of uninitialised memory would differ between runs.",
                "DeterminismOptions.FillUninitializedMemory", "Set DeterminismOptions.FillUninitializedMemory = true.");
        if (state.AllowTF32CuBLAS || state.AllowTF32CuDNN)
            yield return new DoctorFinding(DoctorCodes.Tf32Enabled, gpuOnly,
                $"TF32 is allowed (cuBLAS {Flag(state.AllowTF32CuBLAS)}, cuDNN {Flag(state.AllowTF32CuDNN)}): on Ampere and newer GPUs float32 matmuls and convolutions round to 10-bit mantissas, " +
                    $"so numbers differ from FP32 baselines and between GPU generations.{onCpu}",
                "at::Context allowTF32CuBLAS / allowTF32CuDNN (DeterminismOptions.AllowTF32)",
                "Set DeterminismOptions.AllowTF32 = false (PyTorch: torch.backends.cuda.matmul.allow_tf32 = False; torch.backends.cudnn.allow_tf32 = False).");
        if (getenv(Determinism.CublasVariable) is null)
            yield return new DoctorFinding(DoctorCodes.CublasWorkspaceMissing, gpuOnly,
                $"{Determinism.CublasVariable} is not set in the native environment: " +
                    $"cuBLAS then uses several workspaces and its reductions are not deterministic (and use_deterministic_algorithms raises on the first matmul).{onCpu}",
                "native process environment (getenv)",
                $"Start the process with {Determinism.CublasVariable}=:4096:8 (or :16:8 to save memory); dotnet test sets it through -p:ReproCublasWorkspaceConfig.");
        if (options.CpuCapability is null && !cuda)
            yield return new DoctorFinding(DoctorCodes.CpuCapabilityUnpinned, FindingSeverity.Warning,
                $"The CPU kernel level is not pinned; libtorch runs '{state.CpuCapability}', whatever this CPU offers, so another CPU model gives other numbers.",
                "DeterminismOptions.CpuCapability = null",
                $"Set DeterminismOptions.CpuCapability = \"avx2\" (or start the process with {Determinism.CpuCapabilityVariable}=avx2).");
        // Repro's own pin of the width (256 bits, what every AVX2 machine has) is the portable profile, not an override.
        var simd = SimdVariables.Where(v => getenv(v) is { } value && !(v == CpuProfile.VectorWidthVariable && value == CpuProfile.PortableVectorBits.ToString(CultureInfo.InvariantCulture)))
            .Select(v => $"{v}={getenv(v)}").ToList();
        if (simd.Count > 0)
            yield return new DoctorFinding(DoctorCodes.DotNetSimdOverride, FindingSeverity.Warning,
                $"The .NET JIT's SIMD use is overridden ({string.Join(", ", simd)}): vectorised managed float code (TensorPrimitives, " +
                    "Vector<T>) sums in another order than on machines without the override.",
                "process environment", $"Unset {string.Join(", ", simd.Select(s => s[..s.IndexOf('=')]))} for baseline runs, or record baselines with the same settings.");
        yield return new DoctorFinding(DoctorCodes.StringHashRandomised, FindingSeverity.Info,
            ".NET randomises string.GetHashCode per process (always; there is no switch to turn it off in .NET Core). Iteration over hash-ordered string sets (ImmutableHashSet, " +
                "or ordering by GetHashCode) differs between processes though identical within one.",
            // A plain HashSet<string> or Dictionary<string, T> enumerates in insertion order while nothing was removed, so it is no cause.
            "string collections enumerated in hash order on the data path: ImmutableHashSet, ImmutableDictionary, ordering by GetHashCode (a plain HashSet<string> or Dictionary<string, T> enumerates in the order of its adds and removes, the same in every process)",
            "Sort before iterating (OrderBy(x => x, StringComparer.Ordinal)), or hash with a seeded stable hash (XxHash); 'repro doctor --processes' checks this.");
    }

    // TorchSharp's optimizers whose update takes a tensor square root through libtorch's element-wise sqrt.
    static readonly string[] SqrtOptimizers = ["Adam", "AdamW", "NAdam", "RAdam", "RMSProp", "Adagrad", "Adadelta"];

    static IEnumerable<DoctorFinding> CpuProfileFindings(DeterminismState state, DeterminismOptions options, string? optimizer)
    {
        if (state.Device == "cuda") yield break;
        if (!options.PortableCpu)
        {
            yield return new DoctorFinding(DoctorCodes.CpuProfileNative, FindingSeverity.Info,
                "The native CPU profile is on: MKL picks its kernels by CPU vendor, so CPU baselines hold on this vendor only (their key names it).",
                "DeterminismOptions.PortableCpu = false (or REPRO_CPU_PROFILE=native)",
                "Leave PortableCpu at its default (true) for one CPU baseline on every x86-64 machine; keep native only for CPU-heavy training that needs MKL's fastest paths.");
            yield break;
        }
        var name = optimizer?.Split('.')[^1];
        if (name is not null && SqrtOptimizers.Contains(name))
            yield return new DoctorFinding(DoctorCodes.VendorDependentOptimizer, FindingSeverity.Warning,
                $"The optimizer ({optimizer}) takes float square roots through MKL's vector math, which gives other bits on AMD and on Intel even on MKL's compatible path: " +
                    "this check's CPU baseline holds on one vendor only, though its key names none.",
                "TrainingCheck.CreateOptimizer",
                "Use Repro's ReproAdamW (its default reference kernel takes the square root vendor-independently), or set DeterminismOptions.PortableCpu = false so that keys name the vendor.");
    }

    static string Flag(bool value) => value ? "on" : "off";
}
