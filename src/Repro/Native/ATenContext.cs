using System.Runtime.InteropServices;

namespace Repro.Native;

// TorchSharp 0.107 exposes neither cudnn.deterministic nor cudnn.benchmark and throws from
// use_deterministic_algorithms. libtorch exports the at::Context members, so we call them on the
// context TorchSharp itself uses: the one inside the libtorch_cpu.so that is already loaded.
internal static unsafe class ATenContext
{
    static IntPtr _library;
    static IntPtr _context;

    static IntPtr Context
    {
        get
        {
            if (_context != IntPtr.Zero) return _context;
            _context = ((delegate* unmanaged<IntPtr>)Export("_ZN2at13globalContextEv"))();
            return _context;
        }
    }

    // Callers evaluate Export(...) before their Context argument, so the first call of a process may
    // be an Export: it, not Context, finds the library.
    static IntPtr Library
    {
        get
        {
            if (_library != IntPtr.Zero) return _library;
            NativeRuntime.EnsureInitialized();
            _library = LibC.FindLoaded("libtorch_cpu.so");
            if (_library == IntPtr.Zero)
                throw new ReproException("libtorch_cpu.so is not loaded in this process, so the determinism switches cannot be reached. " +
                    "Call NativeRuntime.Initialize() (or Determinism.Apply) before reading or changing them.");
            return _library;
        }
    }

    internal static IntPtr Export(string name)
    {
        if (NativeLibrary.TryGetExport(Library, name, out var address)) return address;
        throw new ReproException($"The loaded libtorch ({LoadedLibraries.Find("libtorch_cpu.so") ?? "libtorch_cpu.so"}) does not export {name}. " +
            "This libtorch is older or newer than the 2.x series Repro was built against; use the libtorch that matches TorchSharp (see README, 'Backends').");
    }

    static bool Get(string getter) => ((delegate* unmanaged<IntPtr, byte>)Export(getter))(Context) != 0;

    static void Set(string setter, bool value) => ((delegate* unmanaged<IntPtr, byte, void>)Export(setter))(Context, value ? (byte)1 : (byte)0);

    internal static bool DeterministicCuDNN
    {
        get => Get("_ZNK2at7Context18deterministicCuDNNEv");
        set => Set("_ZN2at7Context21setDeterministicCuDNNEb", value);
    }

    internal static bool BenchmarkCuDNN
    {
        get => Get("_ZNK2at7Context14benchmarkCuDNNEv");
        set => Set("_ZN2at7Context17setBenchmarkCuDNNEb", value);
    }

    internal static bool DeterministicAlgorithms => Get("_ZNK2at7Context23deterministicAlgorithmsEv");

    internal static bool DeterministicAlgorithmsWarnOnly => Get("_ZNK2at7Context31deterministicAlgorithmsWarnOnlyEv");

    internal static void SetDeterministicAlgorithms(bool enabled, bool warnOnly) =>
        ((delegate* unmanaged<IntPtr, byte, byte, void>)Export("_ZN2at7Context26setDeterministicAlgorithmsEbb"))(
            Context, enabled ? (byte)1 : (byte)0, warnOnly ? (byte)1 : (byte)0);

    internal static bool DeterministicFillUninitializedMemory
    {
        get => Get("_ZNK2at7Context36deterministicFillUninitializedMemoryEv");
        set => Set("_ZN2at7Context39setDeterministicFillUninitializedMemoryEb", value);
    }

    internal static bool AllowTF32CuBLAS
    {
        get => Get("_ZNK2at7Context15allowTF32CuBLASEv");
        set => Set("_ZN2at7Context18setAllowTF32CuBLASEb", value);
    }

    // The getter takes std::optional<Float32Op>; zero is the disengaged optional ("any op").
    internal static bool AllowTF32CuDNN
    {
        get => ((delegate* unmanaged<IntPtr, long, byte>)Export("_ZNK2at7Context14allowTF32CuDNNESt8optionalINS_9Float32OpEE"))(Context, 0) != 0;
        set => Set("_ZN2at7Context17setAllowTF32CuDNNEb", value);
    }

    /// <summary>The CPU kernel level ATen dispatches to (DEFAULT, AVX2, AVX512...).</summary>
    internal static string CpuCapability => CallStringFunction("_ZN2at18get_cpu_capabilityB5cxx11Ev");

    /// <summary>libtorch's own build description, which names TORCH_VERSION, CUDA and cuDNN it was built with.</summary>
    internal static string ShowConfig => CallStringFunction("_ZN2at11show_configB5cxx11Ev");

    // A std::string returned by value arrives through a hidden result pointer (Itanium ABI); its
    // libstdc++ layout is {char* data; size_t length; char sso[16]}.
    static string CallStringFunction(string name)
    {
        _ = Context;
        var storage = stackalloc byte[32];
        ((delegate* unmanaged<byte*, byte*>)Export(name))(storage);
        var data = *(byte**)storage;
        var length = *(nuint*)(storage + 8);
        var text = Marshal.PtrToStringUTF8((IntPtr)data, (int)length);
        if (data != storage + 16) NativeMemory.Free(data);
        return text;
    }
}
