namespace Repro;

// Diffs the environment a baseline was recorded on with this one; each difference is a likely drift
// cause. Without a baseline for this key it compares with the closest key of the same device kind,
// because a changed thread count or CPU capability changes the key itself.
internal static class BaselineEnvironmentDiff
{
    internal static (BaselineFile? Baseline, string? Path, bool SameKey) Find(BaselineStore store, string test, EnvironmentFingerprint now)
    {
        if (store.ReadVerified(now.Key, test) is { } same) return (same, EnvironmentPath(store, now.Key, test), true);
        BaselineFile? best = null;
        string? bestPath = null;
        var bestScore = int.MaxValue;
        foreach (var candidate in store.VerifiedOf(test))
        {
            if (candidate.Environment.Device != now.Device) continue;
            var score = Differences(candidate.Environment, now, candidate.Key).Count();
            if (score >= bestScore) continue;
            (best, bestPath, bestScore) = (candidate, EnvironmentPath(store, candidate.Key, test), score);
        }
        return (best, bestPath, false);
    }

    // The file that recorded the key's environment: its own baseline, or for a key that shares another
    // key's numbers, its alias (which keeps the environment that key ran on).
    static string EnvironmentPath(BaselineStore store, string key, string test) =>
        File.Exists(store.AliasPath(key, test)) ? store.AliasPath(key, test) : store.VerifiedPath(key, test);

    internal static IEnumerable<DoctorFinding> Differences(EnvironmentFingerprint recorded, EnvironmentFingerprint now, string where)
    {
        var items = new (string Code, FindingSeverity Severity, string Field, string? Then, string? Now, string Fix)[]
        {
            (DoctorCodes.DeviceChanged, FindingSeverity.Warning, "device", recorded.Device, now.Device, "Run on the baseline's device (--device), or approve a baseline for this device."),
            (DoctorCodes.ThreadCountChanged, FindingSeverity.Warning, "intra-op threads", I(recorded.IntraOpThreads), I(now.IntraOpThreads),
                $"Pin DeterminismOptions.IntraOpThreads = {I(recorded.IntraOpThreads)} as the baseline did (CPU reductions split work by thread count), or approve a baseline for this thread count."),
            (DoctorCodes.CpuCapabilityChanged, FindingSeverity.Warning, "CPU capability", recorded.CpuCapability, now.CpuCapability,
                $"Pin DeterminismOptions.CpuCapability = \"{recorded.CpuCapability}\" (or {Determinism.CpuCapabilityVariable}={recorded.CpuCapability} before the process starts), " +
                    "or approve a baseline for this capability."),
            (DoctorCodes.CpuProfileChanged, FindingSeverity.Warning, "CPU profile", Cpu(recorded, recorded.CpuProfile ?? (now.CpuProfile is null ? null : "none (recorded before Repro had CPU profiles: " +
                "its numbers hold on that CPU vendor only)")), Cpu(now, now.CpuProfile),
                "Re-approve the baseline under the portable profile (the default; one CPU baseline for every x86-64 vendor), or run with the baseline's profile (DeterminismOptions.PortableCpu, " +
                    "REPRO_CPU_PROFILE)."),
            (DoctorCodes.DotNetSimdWidthChanged, FindingSeverity.Warning, ".NET SIMD width", Cpu(recorded, Bits(recorded.ManagedVectorBits)), Cpu(now, recorded.ManagedVectorBits is null ? null : Bits(now.ManagedVectorBits)),
                $"Start the process with {CpuProfile.VectorWidthVariable}={CpuProfile.PortableVectorBits} (dotnet test and the repro tool do): " +
                    "TensorPrimitives and Vector<T> code sums in another order at another width."),
            (DoctorCodes.LibTorchVersionChanged, FindingSeverity.Warning, "libtorch", recorded.LibTorchVersion, now.LibTorchVersion,
                "Use the libtorch version of the baseline (Directory.Packages.props / REPRO_LIBTORCH_DIR), or approve new baselines after the upgrade."),
            (DoctorCodes.TorchSharpVersionChanged, FindingSeverity.Warning, "TorchSharp", recorded.TorchSharpVersion, now.TorchSharpVersion,
                "Use the TorchSharp version of the baseline, or approve new baselines after the upgrade."),
            (DoctorCodes.GpuChanged, FindingSeverity.Warning, "GPU", recorded.GpuModel, now.GpuModel, "Compare against a baseline recorded on this GPU model (each model has its own key), " +
                "or approve one."),
            (DoctorCodes.CudaVersionChanged, FindingSeverity.Warning, "CUDA runtime", recorded.CudaRuntimeVersion, now.CudaRuntimeVersion, "Use the CUDA runtime of the baseline, " +
                "or approve a baseline for this CUDA version."),
            (DoctorCodes.CudnnVersionChanged, FindingSeverity.Warning, "cuDNN", recorded.CudnnVersion, now.CudnnVersion, "Use the cuDNN version of the baseline (a different cuDNN may choose other kernels), " +
                "or approve new baselines."),
            (DoctorCodes.CublasVersionChanged, FindingSeverity.Warning, "cuBLAS", recorded.CublasVersion, now.CublasVersion, "Use the cuBLAS version of the baseline, or approve new baselines."),
            (DoctorCodes.GpuDriverChanged, FindingSeverity.Info, "GPU driver", recorded.DriverVersion, now.DriverVersion, "Usually harmless; if numbers moved, " +
                "run with the baseline's driver to confirm."),
            (DoctorCodes.CpuModelChanged, FindingSeverity.Info, "CPU model", recorded.CpuModel, now.CpuModel, "Under the portable CPU profile an AMD EPYC and an Intel Xeon gave the same bits (docs/portable-cpu.md); " +
                "under the native profile only the same vendor and capability do. If numbers moved, run the doctor with --perturb to find the code that depends on the machine."),
            (DoctorCodes.DotNetRuntimeChanged, FindingSeverity.Info, ".NET runtime", recorded.DotNetRuntime, now.DotNetRuntime, "Libtorch does the numerics; " +
                ".NET matters only for managed float code. Use the baseline's runtime to rule it out."),
        };
        foreach (var (code, severity, field, then, current, fix) in items)
            if (!string.Equals(then, current, StringComparison.Ordinal))
                yield return new DoctorFinding(code, severity, $"{field} was {then ?? "(none)"} when the baseline was recorded, now {current ?? "(none)"}.", where, fix);
    }

    // CPU-side numerics only: a CUDA key's numbers come from the GPU, and old baselines left these out.
    static string? Cpu(EnvironmentFingerprint environment, string? value) => environment.Device == "cuda" ? null : value;

    static string? Bits(int? bits) => bits is { } b ? I(b) + " bits" : null;

    static string I(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
