using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Repro.Native;

// at::Tensor::data_ptr() through TorchSharp's native export: the address of the first element, storage
// offset included, for kernels and collectives Repro launches itself.
internal static unsafe class TensorData
{
    static IntPtr _tensorData;

    internal static IntPtr Pointer(Tensor tensor)
    {
        if (_tensorData == IntPtr.Zero)
        {
            var library = LibC.FindLoaded("libLibTorchSharp.so");
            if (library == IntPtr.Zero || !NativeLibrary.TryGetExport(library, "THSTensor_data", out _tensorData))
                throw new ReproException("TorchSharp's native library (libLibTorchSharp.so) is not loaded or lacks THSTensor_data.");
        }
        return ((delegate* unmanaged<IntPtr, IntPtr>)_tensorData)(tensor.Handle);
    }
}
