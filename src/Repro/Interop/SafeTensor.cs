using System.Runtime.InteropServices;

namespace Repro.Advanced;

/// <summary>
/// One named tensor as the safetensors format stores it: a dtype code ("F32", "I64", "I32", ...),
/// a shape and the raw little-endian bytes. Holds no TorchSharp tensor, so files can be written and
/// checked without libtorch.
/// </summary>
/// <param name="Name">Key in the file, e.g. "conv1.conv.weight".</param>
/// <param name="DType">safetensors dtype code; see <see cref="SafeTensors.ElementSize"/> for the supported ones.</param>
/// <param name="Shape">Dimensions; empty for a scalar.</param>
/// <param name="Data">Row-major little-endian element bytes.</param>
public sealed record SafeTensor(string Name, string DType, IReadOnlyList<long> Shape, byte[] Data)
{
    /// <summary>A float32 tensor ("F32").</summary>
    public static SafeTensor Float32(string name, ReadOnlySpan<float> values, params long[] shape) =>
        new(name, "F32", shape, MemoryMarshal.AsBytes(values).ToArray());

    /// <summary>An int64 tensor ("I64").</summary>
    public static SafeTensor Int64(string name, ReadOnlySpan<long> values, params long[] shape) =>
        new(name, "I64", shape, MemoryMarshal.AsBytes(values).ToArray());

    /// <summary>An int32 tensor ("I32").</summary>
    public static SafeTensor Int32(string name, ReadOnlySpan<int> values, params long[] shape) =>
        new(name, "I32", shape, MemoryMarshal.AsBytes(values).ToArray());

    /// <summary>Number of elements the shape describes (1 for a scalar).</summary>
    public long ElementCount => Shape.Aggregate(1L, (product, dimension) => product * dimension);

    /// <summary>The data as float32 values; the dtype must be "F32".</summary>
    public float[] AsFloat32() => As<float>("F32");

    /// <summary>The data as int64 values; the dtype must be "I64".</summary>
    public long[] AsInt64() => As<long>("I64");

    /// <summary>The data as int32 values; the dtype must be "I32".</summary>
    public int[] AsInt32() => As<int>("I32");

    T[] As<T>(string dtype) where T : struct
    {
        if (DType != dtype)
            throw new ReproException($"Tensor '{Name}' is {DType}, not {dtype}; read it with the accessor for {DType}.");
        // safetensors is little-endian by definition; so is every platform TorchSharp runs on.
        return MemoryMarshal.Cast<byte, T>(Data).ToArray();
    }
}
