using TorchSharp;
using static TorchSharp.torch;

namespace Repro;

// A tensor's bits as signed integer words of its element width, without a copy and on its own
// device. TorchSharp 0.107 has no Tensor.view(dtype), and libtorch's TorchScript frontend resolves
// neither torch.int32 nor aten::view.dtype without Python. set_(source) on an empty integer tensor
// does the same: storages are untyped, so it takes the source's storage, offset, sizes and strides
// and reads the same bytes as integers (LaneSumTests prove the words equal the managed reading).
internal static class TensorWords
{
    // Word width in bytes of a dtype's digest: the element size, or a complex type's real part.
    internal static int WordSize(ScalarType dtype) => dtype switch
    {
        ScalarType.Bool or ScalarType.Byte or ScalarType.Int8 => 1,
        ScalarType.Int16 or ScalarType.Float16 or ScalarType.BFloat16 => 2,
        ScalarType.Int32 or ScalarType.Float32 or ScalarType.ComplexFloat32 => 4,
        ScalarType.Int64 or ScalarType.Float64 or ScalarType.ComplexFloat64 => 8,
        _ => throw new ReproException($"Tensors of dtype {dtype} cannot be fingerprinted; use bool, integer, float, bfloat16 or complex tensors."),
    };

    internal static bool IsComplex(ScalarType dtype) => dtype is ScalarType.ComplexFloat32 or ScalarType.ComplexFloat64;

    // The real view of a complex tensor, else the tensor itself: what the digest reads as words.
    internal static Tensor Real(Tensor tensor) => IsComplex(tensor.dtype) ? tensor.view_as_real() : tensor;

    // The same memory as signed integer words (same shape and strides); the tensor must not be complex.
    internal static Tensor AsSigned(Tensor tensor)
    {
        var words = WordSize(tensor.dtype) switch
        {
            1 => ScalarType.Int8,
            2 => ScalarType.Int16,
            4 => ScalarType.Int32,
            _ => ScalarType.Int64,
        };
        if (tensor.dtype == words) return tensor.alias();
        var view = empty(0, dtype: words, device: tensor.device);
        view.set_(tensor);
        return view;
    }
}
