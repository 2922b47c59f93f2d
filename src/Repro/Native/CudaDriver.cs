using System.Runtime.InteropServices;

namespace Repro.Native;

// The CUDA driver API (libcuda.so.1, present wherever a GPU is): loads a cubin into the context the
// CUDA runtime made current for libtorch, and launches its kernels on a given stream.
internal static unsafe class CudaDriver
{
    const int ComputeCapabilityMajor = 75, ComputeCapabilityMinor = 76;
    static IntPtr _library;

    internal static (int Major, int Minor) CurrentComputeCapability()
    {
        IntPtr context;
        Check(((delegate* unmanaged<IntPtr*, int>)Export("cuCtxGetCurrent"))(&context), "cuCtxGetCurrent");
        if (context == IntPtr.Zero) throw new ReproException("No CUDA context is current on this thread, so a kernel cannot be loaded here.");
        int device, major, minor;
        Check(((delegate* unmanaged<int*, int>)Export("cuCtxGetDevice"))(&device), "cuCtxGetDevice");
        Check(((delegate* unmanaged<int*, int, int, int>)Export("cuDeviceGetAttribute"))(&major, ComputeCapabilityMajor, device), "cuDeviceGetAttribute");
        Check(((delegate* unmanaged<int*, int, int, int>)Export("cuDeviceGetAttribute"))(&minor, ComputeCapabilityMinor, device), "cuDeviceGetAttribute");
        return (major, minor);
    }

    /// <summary>The named kernels of a cubin, loaded into the current context.</summary>
    internal static IntPtr[] Load(byte[] cubin, params string[] kernels)
    {
        IntPtr module;
        fixed (byte* image = cubin)
            Check(((delegate* unmanaged<IntPtr*, byte*, int>)Export("cuModuleLoadData"))(&module, image), "cuModuleLoadData");
        var functions = new IntPtr[kernels.Length];
        for (var i = 0; i < kernels.Length; i++)
        {
            IntPtr function;
            var name = Marshal.StringToCoTaskMemUTF8(kernels[i]);
            try
            {
                Check(((delegate* unmanaged<IntPtr*, IntPtr, IntPtr, int>)Export("cuModuleGetFunction"))(&function, module, name), "cuModuleGetFunction " + kernels[i]);
            }
            finally
            {
                Marshal.FreeCoTaskMem(name);
            }
            functions[i] = function;
        }
        return functions;
    }

    internal static void Launch(IntPtr function, uint blocks, uint threads, IntPtr stream, void** arguments) =>
        Check(((delegate* unmanaged<IntPtr, uint, uint, uint, uint, uint, uint, uint, IntPtr, void**, void**, int>)Export("cuLaunchKernel"))(
            function, blocks, 1, 1, threads, 1, 1, 0, stream, arguments, null), "cuLaunchKernel");

    static void Check(int status, string call)
    {
        if (status != 0) throw new ReproException($"CUDA driver call {call} returned {status}.");
    }

    static IntPtr Export(string name)
    {
        if (_library == IntPtr.Zero && !NativeLibrary.TryLoad("libcuda.so.1", out _library))
            throw new ReproException("libcuda.so.1 (the NVIDIA driver's CUDA library) cannot be loaded.");
        return NativeLibrary.TryGetExport(_library, name, out var address) ? address : throw new ReproException($"libcuda.so.1 does not export {name}.");
    }
}
