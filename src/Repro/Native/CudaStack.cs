using System.Runtime.InteropServices;
using System.Text;

namespace Repro.Native;

// Versions straight from the CUDA libraries libtorch loaded (cudart, cuDNN, cuBLAS) and from the
// driver's NVML: not from build constants, which describe what TorchSharp was compiled against.
internal static unsafe class CudaStack
{
    internal sealed record Info(
        string? GpuName, string? ComputeCapability, string? DriverVersion, string? CudaRuntimeVersion,
        string? CudaDriverVersion, string? CudnnVersion, string? CublasVersion, int DeviceCount);

    internal static Info Read()
    {
        var cudart = OpenLoaded("libcudart.so");
        string? runtime = null, driverApi = null, busId = null;
        int count = 0;
        if (cudart != IntPtr.Zero)
        {
            int v;
            if (TryExport(cudart, "cudaRuntimeGetVersion", out var f) && ((delegate* unmanaged<int*, int>)f)(&v) == 0) runtime = CudaVersion(v);
            if (TryExport(cudart, "cudaDriverGetVersion", out f) && ((delegate* unmanaged<int*, int>)f)(&v) == 0) driverApi = CudaVersion(v);
            if (TryExport(cudart, "cudaGetDeviceCount", out f) && ((delegate* unmanaged<int*, int>)f)(&v) == 0) count = v;
            var buffer = stackalloc byte[64];
            if (count > 0 && TryExport(cudart, "cudaDeviceGetPCIBusId", out f) && ((delegate* unmanaged<byte*, int, int, int>)f)(buffer, 64, 0) == 0)
                busId = Marshal.PtrToStringUTF8((IntPtr)buffer);
        }
        var cudnn = OpenLoaded("libcudnn.so");
        string? cudnnVersion = null;
        if (cudnn != IntPtr.Zero && TryExport(cudnn, "cudnnGetVersion", out var g))
        {
            var v = (long)((delegate* unmanaged<nuint>)g)();
            // cuDNN 9 encodes major*10000 + minor*100 + patch.
            cudnnVersion = $"{v / 10000}.{v % 10000 / 100}.{v % 100}";
        }
        var cublas = OpenLoaded("libcublasLt.so");
        string? cublasVersion = null;
        if (cublas != IntPtr.Zero && TryExport(cublas, "cublasLtGetVersion", out var h))
        {
            var v = (long)((delegate* unmanaged<nuint>)h)();
            cublasVersion = $"{v / 10000}.{v % 10000 / 100}.{v % 100}";
        }
        var (name, capability, driver) = ReadNvml(busId);
        return new Info(name, capability, driver, runtime, driverApi, cudnnVersion, cublasVersion, count);
    }

    static string CudaVersion(int v) => $"{v / 1000}.{v % 1000 / 10}";

    static (string?, string?, string?) ReadNvml(string? busId)
    {
        if (!NativeLibrary.TryLoad("libnvidia-ml.so.1", out var nvml)) return (null, null, null);
        if (!TryExport(nvml, "nvmlInit_v2", out var init) || ((delegate* unmanaged<int>)init)() != 0) return (null, null, null);
        IntPtr device = IntPtr.Zero;
        var ok = busId is not null && TryExport(nvml, "nvmlDeviceGetHandleByPciBusId_v2", out var byBus)
            ? CallWithString(byBus, busId, &device)
            : TryExport(nvml, "nvmlDeviceGetHandleByIndex_v2", out var byIndex) && ((delegate* unmanaged<uint, IntPtr*, int>)byIndex)(0, &device) == 0;
        string? name = null, capability = null, driver = null;
        var buffer = stackalloc byte[96];
        if (TryExport(nvml, "nvmlSystemGetDriverVersion", out var d) && ((delegate* unmanaged<byte*, uint, int>)d)(buffer, 96) == 0)
            driver = Marshal.PtrToStringUTF8((IntPtr)buffer);
        if (ok)
        {
            if (TryExport(nvml, "nvmlDeviceGetName", out var n) && ((delegate* unmanaged<IntPtr, byte*, uint, int>)n)(device, buffer, 96) == 0)
                name = Marshal.PtrToStringUTF8((IntPtr)buffer);
            int major, minor;
            if (TryExport(nvml, "nvmlDeviceGetCudaComputeCapability", out var c) && ((delegate* unmanaged<IntPtr, int*, int*, int>)c)(device, &major, &minor) == 0)
                capability = $"{major}.{minor}";
        }
        return (name, capability, driver);
    }

    static bool CallWithString(IntPtr function, string text, IntPtr* device)
    {
        var bytes = Encoding.ASCII.GetBytes(text + "\0");
        fixed (byte* p = bytes) return ((delegate* unmanaged<byte*, IntPtr*, int>)function)(p, device) == 0;
    }

    // Only libraries that are already mapped: asking for them by path with RTLD_NOLOAD never loads a copy.
    static IntPtr OpenLoaded(string fileNamePrefix)
    {
        var path = LoadedLibraries.Find(fileNamePrefix);
        return path is null ? IntPtr.Zero : LibC.DlOpen(path, LibC.RtldLazy | LibC.RtldNoLoad);
    }

    static bool TryExport(IntPtr library, string name, out IntPtr address) => NativeLibrary.TryGetExport(library, name, out address);
}
