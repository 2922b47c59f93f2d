using Repro.Advanced;
using System.Security.Cryptography;
using TorchSharp;
using static TorchSharp.torch;

namespace Repro.DualTask;

// TorchSharp tensors to safetensors entries and SHA-256 digests: the two views of a weight that the
// PyTorch replay can check without XxHash.
internal static class ReplayTensors
{
    internal static SafeTensor ToSafeTensor(string name, Tensor tensor)
    {
        using var scope = NewDisposeScope();
        var cpu = tensor.detach().cpu().contiguous();
        return new SafeTensor(name, DType(name, tensor.dtype), [.. cpu.shape], cpu.NumberOfElements == 0 ? [] : cpu.bytes.ToArray());
    }

    internal static IReadOnlyList<SafeTensor> StateDict(DualTaskModel model) =>
        [.. model.state_dict().Select(entry => ToSafeTensor(entry.Key, entry.Value))];

    internal static IReadOnlyList<ReplayTensorDigest> Digests(DualTaskModel model) =>
        [.. StateDict(model).Select(t => new ReplayTensorDigest(t.Name, Convert.ToHexStringLower(SHA256.HashData(t.Data))))];

    static string DType(string name, ScalarType type) => type switch
    {
        ScalarType.Float32 => "F32",
        ScalarType.Float64 => "F64",
        ScalarType.Float16 => "F16",
        ScalarType.BFloat16 => "BF16",
        ScalarType.Int64 => "I64",
        ScalarType.Int32 => "I32",
        ScalarType.Int16 => "I16",
        ScalarType.Int8 => "I8",
        ScalarType.Byte => "U8",
        ScalarType.Bool => "BOOL",
        _ => throw new ReproException($"Tensor '{name}' has dtype {type}, which safetensors cannot store; convert it to a float or integer type before export."),
    };
}
