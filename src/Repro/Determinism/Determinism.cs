using System.Text.RegularExpressions;
using Repro.Native;
using TorchSharp;

namespace Repro.Advanced;

/// <summary>
/// One entry point for every determinism switch: seeds, cuDNN, deterministic algorithms, TF32,
/// threads, CPU kernel level and the native environment cuBLAS reads.
/// </summary>
public static partial class Determinism
{
    internal const string CublasVariable = "CUBLAS_WORKSPACE_CONFIG";
    internal const string CpuCapabilityVariable = "ATEN_CPU_CAPABILITY";

    static readonly string[] Capabilities = ["default", "avx2", "avx512", "zvector", "vsx", "sve256"];

    /// <summary>The options last applied in this process, if any.</summary>
    public static DeterminismOptions? Applied { get; private set; }

    /// <summary>Applies every switch, then returns the state as libtorch reports it.</summary>
    public static DeterminismState Apply(DeterminismOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        TrainingGuard.ThrowIfActive("change determinism settings");
        options.Validate();

        PrepareNativeEnvironment(options);
        var runtime = NativeRuntime.InitializeFor(options.Device, options);
        CheckCpuCapability(options.CpuCapability);
        CheckCpuProfile(options.PortableCpu, runtime.LibTorchPath);

        torch.set_num_threads(options.IntraOpThreads);
        torch.random.manual_seed(options.Seed);
        if (runtime.IsCuda) torch.cuda.manual_seed_all(options.Seed);

        ATenContext.DeterministicCuDNN = options.CudnnDeterministic;
        ATenContext.BenchmarkCuDNN = options.CudnnBenchmark;
        ATenContext.SetDeterministicAlgorithms(options.DeterministicAlgorithms, options.WarnOnly);
        ATenContext.DeterministicFillUninitializedMemory = options.FillUninitializedMemory;
        ATenContext.AllowTF32CuBLAS = options.AllowTF32;
        ATenContext.AllowTF32CuDNN = options.AllowTF32;
        Applied = options;
        return Read();
    }

    /// <summary>The current state, read back from libtorch and the native environment, not remembered.</summary>
    public static DeterminismState Read()
    {
        var runtime = NativeRuntime.EnsureInitialized();
        return new DeterminismState(
            runtime.Device,
            torch.random.initial_seed(),
            ATenContext.DeterministicCuDNN,
            ATenContext.BenchmarkCuDNN,
            ATenContext.DeterministicAlgorithms,
            ATenContext.DeterministicAlgorithmsWarnOnly,
            ATenContext.DeterministicFillUninitializedMemory,
            ATenContext.AllowTF32CuBLAS,
            ATenContext.AllowTF32CuDNN,
            torch.get_num_threads(),
            ATenContext.CpuCapability,
            LibC.GetEnv(CublasVariable));
    }

    /// <summary>Re-seeds torch's CPU and CUDA generators; called at the start of every training.</summary>
    public static void Reseed(long seed)
    {
        var runtime = NativeRuntime.EnsureInitialized();
        torch.random.manual_seed(seed);
        if (runtime.IsCuda) torch.cuda.manual_seed_all(seed);
    }

    internal static void ValidateCublasConfig(string? value, string source)
    {
        if (value is null || CublasConfigPattern().IsMatch(value)) return;
        throw new ReproException($"{source}='{value}' is malformed. cuBLAS expects one or more ':SIZE_KiB:COUNT' pairs: use :4096:8 (default, 24 MiB per stream) or :16:8 (less memory, " +
            "may be slower). Fix it where it is set (environment, -p:ReproCublasWorkspaceConfig, or the options).");
    }

    /// <summary>CUBLAS_WORKSPACE_CONFIG and ATEN_CPU_CAPABILITY as the native libraries will read them.</summary>
    internal static void ValidateNativeVariables()
    {
        ValidateCublasConfig(LibC.GetEnv(CublasVariable), "The environment variable " + CublasVariable);
        if (Applied?.PortableCpu ?? CpuProfile.FromEnvironment()) CpuProfile.Validate(LibC.GetEnv(CpuProfile.MklVariable));
        if (LibC.GetEnv(CpuCapabilityVariable) is { } pinned && !IsCapability(pinned))
            throw new ReproException($"The environment variable {CpuCapabilityVariable}='{pinned}' is not an ATen CPU capability, so libtorch would ignore it. " +
                $"Use one of {string.Join(", ", Capabilities)}, or unset it (Repro pins avx2 by default).");
    }

    // cuBLAS and ATen read these with getenv when they initialise; set them natively before that.
    internal static void PrepareNativeEnvironment(DeterminismOptions options)
    {
        ValidateNativeVariables();
        var existing = LibC.GetEnv(CublasVariable);
        if (existing is null)
        {
            if (NativeRuntime.Current is { IsCuda: true })
                throw new ReproException($"{CublasVariable} is not set and CUDA is already initialised in this process, so cuBLAS can no longer see it. " +
                    $"Set {CublasVariable}={options.CublasWorkspaceConfig} before the process starts (dotnet test does this through build/Repro.TestEnvironment.targets).");
            LibC.SetEnv(CublasVariable, options.CublasWorkspaceConfig);
        }
        if (NativeRuntime.Current is null) CpuProfile.Prepare(options.PortableCpu);
        if (options.CpuCapability is { } capability && NativeRuntime.Current is null)
        {
            ValidateCpuCapability(capability);
            if (LibC.GetEnv(CpuCapabilityVariable) is null) LibC.SetEnv(CpuCapabilityVariable, capability.ToLowerInvariant());
        }
    }

    internal static void ValidateCpuCapability(string? capability)
    {
        if (capability is null || IsCapability(capability)) return;
        throw new ReproException($"DeterminismOptions.CpuCapability='{capability}' is not an ATen CPU capability. Use one of {string.Join(", ", Capabilities)}, or null to use the CPU's best.");
    }

    static bool IsCapability(string value) => Capabilities.Contains(value.ToLowerInvariant());

    static void CheckCpuCapability(string? requested)
    {
        if (requested is null) return;
        var actual = ATenContext.CpuCapability;
        if (string.Equals(actual, requested, StringComparison.OrdinalIgnoreCase)) return;
        var fromEnvironment = LibC.GetEnv(CpuCapabilityVariable);
        throw new ReproException($"CPU capability '{requested}' was requested but libtorch runs '{actual}'" +
            (fromEnvironment is not null ? $" ({CpuCapabilityVariable}={fromEnvironment} in the environment wins; unset it or request '{fromEnvironment}')." :
             $" because libtorch was loaded before the request (or this CPU lacks {requested}). Apply the options before any other TorchSharp call, " +
                 $"set {CpuCapabilityVariable}={requested.ToLowerInvariant()} before the process starts, or request a capability this CPU has."));
    }

    // MKL reads MKL_CBWR once; a profile asked for after another one loaded cannot take effect.
    static void CheckCpuProfile(bool portable, string libTorchPath)
    {
        if (portable && CpuProfile.MklBranch(libTorchPath) is { } branch && branch != "compatible")
            throw new ReproException($"The portable CPU profile was requested but MKL already runs its '{branch}' code path: libtorch was loaded before the request, " +
                $"without {CpuProfile.MklVariable}={CpuProfile.MklPortable}. Apply the options before any other TorchSharp call, " +
                $"start the process with {CpuProfile.MklVariable}={CpuProfile.MklPortable}, or set DeterminismOptions.PortableCpu = false.");
        CpuProfile.Active = portable;
    }

    [GeneratedRegex(@"^(:\d+:\d+)+$")]
    private static partial Regex CublasConfigPattern();
}
