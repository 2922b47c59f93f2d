using TorchSharp;
using static TorchSharp.torch;

namespace Repro;

// Tensors to and from safetensors records: the exact bytes, dtype and shape, so a restored tensor is
// bitwise the saved one on any device.
internal static class TensorBytes
{
    static readonly Dictionary<ScalarType, string> Codes = new()
    {
        [ScalarType.Float64] = "F64", [ScalarType.Float32] = "F32", [ScalarType.Float16] = "F16", [ScalarType.BFloat16] = "BF16",
        [ScalarType.Int64] = "I64", [ScalarType.Int32] = "I32", [ScalarType.Int16] = "I16", [ScalarType.Int8] = "I8",
        [ScalarType.Byte] = "U8", [ScalarType.Bool] = "BOOL",
    };

    static readonly Dictionary<string, ScalarType> Types = Codes.ToDictionary(e => e.Value, e => e.Key, StringComparer.Ordinal);

    internal static SafeTensor ToSafeTensor(string name, Tensor tensor)
    {
        if (!Codes.TryGetValue(tensor.dtype, out var code))
            throw new ReproException($"'{name}' is a {tensor.dtype} tensor, which a checkpoint cannot store; supported: {string.Join(", ", Codes.Keys)}.");
        if (tensor.NumberOfElements * tensor.ElementSize > Array.MaxLength)
            throw new ReproException($"'{name}' has {tensor.NumberOfElements * tensor.ElementSize} bytes, more than one checkpoint tensor can hold ({Array.MaxLength}); " +
                "split it into several named parts.");
        using var scope = NewDisposeScope();
        var cpu = tensor.detach();
        if (cpu.device_type != DeviceType.CPU) cpu = cpu.cpu();
        if (!cpu.is_contiguous()) cpu = cpu.contiguous();
        return new SafeTensor(name, code, tensor.shape, cpu.bytes.ToArray());
    }

    internal static Tensor ToTensor(SafeTensor stored)
    {
        if (!Types.TryGetValue(stored.DType, out var type))
            throw new ReproException($"Checkpoint tensor '{stored.Name}' has dtype {stored.DType}, which a checkpoint never stores; the checkpoint is damaged.");
        var tensor = empty([.. stored.Shape], type);
        tensor.bytes = stored.Data;
        return tensor;
    }

    /// <summary>Copies a stored tensor into an existing one after checking that dtype and shape match.</summary>
    internal static void CopyInto(SafeTensor stored, Tensor destination, string what)
    {
        if (!Codes.TryGetValue(destination.dtype, out var code) || code != stored.DType || !stored.Shape.SequenceEqual(destination.shape))
            throw new ReproException($"The checkpoint's {what} is {stored.DType} [{string.Join(", ", stored.Shape)}] but this run's is {destination.dtype} [{string.Join(", ", destination.shape)}]: " +
                "the model or state changed since the checkpoint was written. Resume with the code and settings that wrote it.");
        using var source = ToTensor(stored);
        using var noGrad = no_grad();
        destination.copy_(source);
    }
}
