using TorchSharp;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text;
using static TorchSharp.torch;

namespace Repro;

// Content hashes of tensors: XxHash128 over the raw bytes plus dtype and shape, so a reshaped or
// recast tensor with the same bytes still hashes differently. Device tensors are copied to the CPU.
internal static class TensorHasher
{
    internal static string Hash(Tensor tensor)
    {
        var hasher = new XxHash128();
        Append(hasher, tensor);
        return Hex(hasher);
    }

    internal static void Append(XxHash128 hasher, Tensor tensor)
    {
        hasher.Append(Encoding.UTF8.GetBytes(tensor.dtype + ":" + string.Join("x", tensor.shape) + ";"));
        if (tensor.NumberOfElements == 0) return;
        using var scope = NewDisposeScope();
        var cpu = tensor.detach();
        if (cpu.device_type != DeviceType.CPU) cpu = cpu.cpu();
        if (!cpu.is_contiguous()) cpu = cpu.contiguous();
        var bytes = cpu.NumberOfElements * cpu.ElementSize;
        if (bytes <= int.MaxValue)
        {
            hasher.Append(cpu.bytes);
            return;
        }
        // Span<byte> is limited to 2 GiB; larger tensors are hashed as a stream of flat chunks.
        var flat = cpu.flatten();
        var chunk = int.MaxValue / cpu.ElementSize;
        for (long start = 0; start < flat.NumberOfElements; start += chunk)
            hasher.Append(flat.narrow(0, start, Math.Min(chunk, flat.NumberOfElements - start)).bytes);
    }

    internal static string Hex(XxHash128 hasher) => Convert.ToHexStringLower(hasher.GetCurrentHash());

    internal static string HashBytes(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(XxHash128.Hash(bytes));

    internal static string HashInts(ReadOnlySpan<int> values) => HashBytes(MemoryMarshal.AsBytes(values));
}
