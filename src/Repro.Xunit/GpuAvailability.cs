using Repro.Native;

namespace Repro.Xunit;

/// <summary>
/// Whether this test process can run CUDA tests, and if not, why. <see cref="GpuFactAttribute"/>
/// and <see cref="GpuTheoryAttribute"/> skip through it; test code may ask it too.
/// </summary>
public static class GpuAvailability
{
    const string Prefix = "No CUDA GPU: ";
    const string Advice = " - run on a GPU machine built with -p:ReproBackend=cuda, see README 'GPU'.";

    // Discovery must not load libtorch: the first load fixes the CPU kernel level
    // (ATEN_CPU_CAPABILITY) before Determinism.Apply can pin it. So the reason is decided in two
    // steps: facts known without libtorch at discovery, the real CUDA check only when a GPU test runs.
    static readonly Lazy<string?> StaticReason = new(ReasonWithoutLoadingLibTorch);
    static readonly Lazy<string?> RuntimeReason = new(ReasonFromRuntime);

    /// <summary>
    /// True when libtorch is (or can be) initialised for CUDA in this process. Evaluated when a GPU
    /// test runs; initialises the native runtime with <see cref="DeviceRequest.Auto"/> if nothing did yet.
    /// </summary>
    public static bool IsAvailable => SkipReason is null;

    /// <summary>Why GPU tests are skipped here, or null when a GPU is usable. Same evaluation as <see cref="IsAvailable"/>.</summary>
    public static string? SkipReason => StaticReason.Value ?? RuntimeReason.Value;

    /// <summary>The reason known without loading libtorch, or null if only loading it can tell.</summary>
    internal static string? DiscoveryReason => StaticReason.Value;

    /// <summary>What a GPU test reports when the runtime check (the only one left) says no.</summary>
    internal const string RuntimeCheckFailed = Prefix + "torch.cuda.is_available() is false or the CUDA libtorch failed to load (GpuAvailability.SkipReason has the details)" + Advice;

    static string? ReasonWithoutLoadingLibTorch()
    {
        try
        {
            if (NativeRuntime.Current is { } current) return current.IsCuda ? null : Prefix + Describe(current) + Advice;
            if (NativeRuntime.RequestFromEnvironment() == DeviceRequest.Cpu) return Prefix + NativeRuntime.DeviceVariable + "=cpu" + Advice;
            if (BuildFacts.Backend == "cpu") return Prefix + "this build carries the CPU libtorch package (ReproBackend=cpu)" + Advice;
            if (LibTorchLocator.Locate().Directory is null) return Prefix + "no CUDA libtorch found (set " + LibTorchLocator.DirVariable + ")" + Advice;
            return null;
        }
        catch (ReproException ex)
        {
            return Prefix + ex.Message;
        }
    }

    static string? ReasonFromRuntime()
    {
        try
        {
            var runtime = NativeRuntime.Initialize(DeviceRequest.Auto);
            return runtime.IsCuda ? null : Prefix + Describe(runtime) + Advice;
        }
        catch (ReproException ex)
        {
            return Prefix + ex.Message;
        }
    }

    static string Describe(NativeRuntimeInfo runtime) =>
        runtime.Notes.Count > 0 ? string.Join("; ", runtime.Notes) : "libtorch was initialised for " + runtime.Device;
}
