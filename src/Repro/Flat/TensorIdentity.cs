using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Repro;

// Whether two TorchSharp handles are the same libtorch tensor, and where a tensor's storage is.
// TorchSharp makes a new handle (a heap at::Tensor) for every p.grad read; an at::Tensor is one
// pointer to its TensorImpl, so two handles name the same tensor when their first words are equal.
// SelfTest proves that reading on this libtorch before anything relies on it; if it ever fails,
// callers treat every gradient as foreign and copy it (correct, only slower).
internal static class TensorIdentity
{
    static readonly Lazy<bool> Reliable = new(SelfTest);

    internal static bool IsReliable => Reliable.Value;

    internal static bool Same(Tensor a, Tensor b) => Reliable.Value && Impl(a) == Impl(b);

    static IntPtr Impl(Tensor t) => Marshal.ReadIntPtr(t.Handle);

    // The TensorImpl a handle names, stable for the tensor's lifetime. Where SelfTest fails it may differ
    // between handles of one tensor, so a caller comparing them sees a change: safe, only slower.
    internal static IntPtr ImplOf(Tensor t) => Impl(t);

    static bool SelfTest()
    {
        using var scope = NewDisposeScope();
        var a = zeros(1);
        var b = zeros(1);
        using var parameter = new TorchSharp.Modules.Parameter(zeros(1), requires_grad: true);
        parameter.grad = a;
        var read = parameter.grad;
        return read is not null && Impl(read) == Impl(a) && Impl(read) != Impl(b) && Impl(a) != Impl(b) && read.Handle != a.Handle;
    }

    // The storage's base address: the same bytes read as integer words of the element size give a
    // typed storage without a copy (a storage<T> of another element type copies).
    internal static IntPtr StorageAddress(Tensor tensor)
    {
        using var words = TensorWords.AsSigned(TensorWords.Real(tensor));
        return words.dtype switch
        {
            ScalarType.Int8 => words.storage<sbyte>().data_ptr(),
            ScalarType.Int16 => words.storage<short>().data_ptr(),
            ScalarType.Int32 => words.storage<int>().data_ptr(),
            _ => words.storage<long>().data_ptr(),
        };
    }

    // Bytes in the tensor's storage (to tell a parameter that owns its storage from a view into a larger one).
    internal static ulong StorageBytes(Tensor tensor)
    {
        using var words = TensorWords.AsSigned(TensorWords.Real(tensor));
        return words.dtype switch
        {
            ScalarType.Int8 => words.storage<sbyte>().nbytes(),
            ScalarType.Int16 => words.storage<short>().nbytes(),
            ScalarType.Int32 => words.storage<int>().nbytes(),
            _ => words.storage<long>().nbytes(),
        };
    }
}
