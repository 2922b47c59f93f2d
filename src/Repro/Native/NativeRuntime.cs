using System.Runtime.InteropServices;
using TorchSharp;

namespace Repro.Advanced;

/// <summary>
/// Loads exactly one libtorch into the process: the NuGet CPU package, or a CUDA libtorch from disk
/// preloaded before TorchSharp initialises, so that the two are never mixed.
/// </summary>
public static class NativeRuntime
{
    /// <summary>Environment variable choosing the device: auto (default), cpu or cuda.</summary>
    public const string DeviceVariable = "REPRO_DEVICE";

    static readonly Lock Gate = new();
    static NativeRuntimeInfo? _info;

    /// <summary>The runtime loaded so far, or null before the first <see cref="Initialize"/>.</summary>
    public static NativeRuntimeInfo? Current => _info;

    /// <summary>The device named by REPRO_DEVICE, or Auto.</summary>
    public static DeviceRequest RequestFromEnvironment() =>
        ReproVariables.Choice(DeviceVariable, DeviceRequest.Auto, "a device", "auto (CUDA when available, else CPU), cpu or cuda",
            ("cpu", DeviceRequest.Cpu), ("cuda", DeviceRequest.Cuda), ("gpu", DeviceRequest.Cuda));

    /// <summary>The loaded runtime, initialised for the device REPRO_DEVICE requests (auto when unset) if nothing loaded libtorch yet.</summary>
    public static NativeRuntimeInfo EnsureInitialized() => _info ?? Initialize(DeviceRequest.Auto);

    /// <summary>
    /// Loads libtorch for the requested device once per process; later calls return the same runtime.
    /// <see cref="DeviceRequest.Auto"/> follows REPRO_DEVICE when it is set, so the variable reaches every entry point.
    /// </summary>
    public static NativeRuntimeInfo Initialize(DeviceRequest request = DeviceRequest.Auto) => InitializeFor(request, null);

    /// <summary>As Initialize; a first load prepares the native environment from <paramref name="native"/> (null: the defaults).</summary>
    internal static NativeRuntimeInfo InitializeFor(DeviceRequest request, DeterminismOptions? native)
    {
        if (!Enum.IsDefined(request))
            throw new ReproException($"Device request {(int)request} is not a device. Use auto, cpu or cuda.");
        var origin = "";
        if (request == DeviceRequest.Auto && System.Environment.GetEnvironmentVariable(DeviceVariable) is { Length: > 0 } variable)
        {
            request = RequestFromEnvironment();
            origin = $" (by {DeviceVariable}={variable})";
        }
        lock (Gate)
        {
            if (_info is not null)
            {
                if (request == DeviceRequest.Cuda && !_info.IsCuda)
                    throw new ReproException($"CUDA was requested{origin}, but this process already initialised libtorch for {_info.Device} ({string.Join(" ", _info.Notes)}). " +
                        $"libtorch cannot be swapped inside one process: request CUDA before anything touches TorchSharp, e.g. set {DeviceVariable}=cuda.");
                return _info;
            }
            _info = Load(request, origin, native ?? new DeterminismOptions());
            return _info;
        }
    }

    static NativeRuntimeInfo Load(DeviceRequest request, string origin, DeterminismOptions native)
    {
        // Whoever loads libtorch first, the native settings read at load time are prepared here: the
        // options being applied (Determinism.Apply), else the reproducible defaults.
        Determinism.PrepareNativeEnvironment(native);
        var notes = new List<string>();
        if (origin.Length == 0 && request != DeviceRequest.Auto && RequestFromEnvironment() is var fromEnvironment && fromEnvironment != DeviceRequest.Auto && fromEnvironment != request)
            notes.Add($"{DeviceVariable}={System.Environment.GetEnvironmentVariable(DeviceVariable)} is overridden by the explicit device request '{request.ToString().ToLowerInvariant()}' (--device or the options' Device)");
        var bundled = BundledCpuLibTorch();
        var source = bundled is null ? "none" : "NuGet package libtorch-cpu-linux-x64";
        var cuda = false;
        if (request != DeviceRequest.Cpu && bundled is not null && File.Exists(Path.Combine(Path.GetDirectoryName(bundled)!, "libtorch_cuda.so")))
        {
            // A CUDA libtorch shipped in the build output (TorchSharp-cuda-linux from a feed that has it):
            // TorchSharp finds it by name beside itself; nothing to preload, nothing else to mix in.
            source = "CUDA libtorch in the build output";
            cuda = InitializeTorch(DeviceType.CUDA, request == DeviceRequest.Cuda);
            if (!cuda && request == DeviceRequest.Cuda)
                throw new ReproException($"CUDA was requested{origin} and this build ships a CUDA libtorch ({Path.GetDirectoryName(bundled)}), " +
                    $"but no GPU is usable (torch.cuda.is_available() is false). Check nvidia-smi, the driver and CUDA_VISIBLE_DEVICES, or run on CPU ({DeviceVariable}=cpu).");
            if (!cuda) notes.Add("CUDA libtorch shipped but no GPU is visible; using CPU");
        }
        else if (request != DeviceRequest.Cpu)
        {
            var located = Native.LibTorchLocator.Locate();
            if (located.Directory is null)
            {
                if (request == DeviceRequest.Cuda)
                    throw new ReproException($"CUDA was requested{origin} but no CUDA libtorch was found. " +
                        $"Set {Native.LibTorchLocator.DirVariable} to a folder holding libtorch_cuda.so (an installed PyTorch's torch/lib works), or run on CPU ({DeviceVariable}=cpu).");
                notes.Add("no CUDA libtorch found; using CPU");
            }
            else if (bundled is not null)
            {
                var message = $"a CUDA libtorch exists at {located.Directory}, but this build carries the CPU libtorch package ({bundled}); two libtorch copies must never share a process. " +
                    "Rebuild with -p:ReproBackend=cuda to use CUDA.";
                if (request == DeviceRequest.Cuda) throw new ReproException($"CUDA was requested{origin} but " + message);
                notes.Add(message + " Using CPU.");
            }
            else
            {
                Preload(located.Directory);
                source = located.Source + " (" + located.Directory + ")";
                cuda = InitializeTorch(DeviceType.CUDA, request == DeviceRequest.Cuda);
                if (!cuda)
                {
                    if (request == DeviceRequest.Cuda)
                        throw new ReproException($"CUDA was requested{origin} and libtorch loaded from {located.Directory}, but no GPU is usable (torch.cuda.is_available() is false). " +
                            $"Check nvidia-smi, the driver and CUDA_VISIBLE_DEVICES, or run on CPU ({DeviceVariable}=cpu).");
                    notes.Add("CUDA libtorch loaded but no GPU is visible; using CPU");
                }
            }
        }
        else
        {
            notes.Add("CPU requested");
            // A CUDA-backend build carries no libtorch: run the CPU on the CUDA libtorch from disk.
            if (bundled is null && Native.LibTorchLocator.Locate() is { Directory: { } directory } found)
            {
                Preload(directory);
                source = found.Source + " (" + directory + ")";
            }
        }
        if (bundled is null && source == "none")
            throw new ReproException($"This build has no libtorch (built with -p:ReproBackend=cuda) and none was found on disk. Set {Native.LibTorchLocator.DirVariable} to a CUDA libtorch folder, " +
                "or rebuild with the default -p:ReproBackend=cpu.");
        InitializeTorch(DeviceType.CPU, true);
        var mapped = Native.LoadedLibraries.Matching("libtorch_cpu.so");
        if (mapped.Count > 1)
            throw new ReproException($"Two libtorch copies are loaded into this process ({string.Join(", ", mapped)}); their results would mix versions. " +
                "Build with -p:ReproBackend=cuda when using a CUDA libtorch from disk.");
        return new NativeRuntimeInfo(cuda ? "cuda" : "cpu", mapped.FirstOrDefault() ?? bundled ?? "unknown", source, notes);
    }

    static string? BundledCpuLibTorch()
    {
        foreach (var dir in new[] { AppContext.BaseDirectory, Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native") })
        {
            var path = Path.Combine(dir, "libtorch_cpu.so");
            if (File.Exists(path)) return path;
        }
        return null;
    }

    // TorchSharp loads "torch_cuda"/"torch_cpu" by name; with the same sonames already mapped from the
    // CUDA folder, the loader reuses them instead of looking for a second copy.
    static void Preload(string directory)
    {
        foreach (var name in new[] { "libc10.so", "libtorch_cpu.so", "libc10_cuda.so", "libtorch_cuda.so", "libtorch.so" })
        {
            var path = Path.Combine(directory, name);
            if (!File.Exists(path)) continue;
            try { NativeLibrary.Load(path); }
            catch (DllNotFoundException ex)
            {
                throw new ReproException($"Could not load {path}: {ex.Message} The CUDA libtorch folder is incomplete or needs libraries that are not on this machine (CUDA runtime, cuDNN). " +
                    $"With PyTorch's torch/lib, install the matching nvidia-* wheels; otherwise point {Native.LibTorchLocator.DirVariable} at a complete libtorch.", ex);
            }
        }
    }

    static bool InitializeTorch(DeviceType type, bool required)
    {
        try
        {
            if (type == DeviceType.CUDA)
                return torch.TryInitializeDeviceType(DeviceType.CUDA) && torch.cuda.is_available();
            torch.InitializeDeviceType(type);
            return true;
        }
        catch (Exception ex) when (ex is NotSupportedException or DllNotFoundException or InvalidOperationException or TypeInitializationException)
        {
            if (!required) return false;
            var hint = ex.ToString().Contains("GLIBCXX", StringComparison.Ordinal)
                ? " The system libstdc++ is older than TorchSharp expects; " +
                    "build through this repository (build/Repro.NativeCompat.targets marks that requirement weak) and keep ReproFixNativeCompat=true."
                : " Check that the libtorch package restored (dotnet restore) or that the CUDA libtorch folder is complete.";
            throw new ReproException($"TorchSharp could not load its native library for {type}: {ex.Message.Split('\n')[0]}{hint}", ex);
        }
    }
}
