using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace Repro;

/// <summary>
/// XxHash128 over little-endian raw bytes, with every array length-prefixed so that moving a value
/// from one array to the next changes the hash.
/// </summary>
internal sealed class ContentHasher
{
    readonly XxHash128 _hash = new();

    public void Add(int value)
    {
        Span<byte> bytes = stackalloc byte[sizeof(int)];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, value);
        _hash.Append(bytes);
    }

    public void Add(ReadOnlySpan<int> values)
    {
        Add(values.Length);
        AppendRaw(MemoryMarshal.AsBytes(values), sizeof(int));
    }

    public void Add(ReadOnlySpan<long> values)
    {
        Add(values.Length);
        AppendRaw(MemoryMarshal.AsBytes(values), sizeof(long));
    }

    public void Add(ReadOnlySpan<float> values)
    {
        Add(values.Length);
        AppendRaw(MemoryMarshal.AsBytes(values), sizeof(float));
    }

    public string Finish() => Convert.ToHexStringLower(_hash.GetCurrentHash());

    // Hashes must match across machines, so big-endian hosts swap each element to little-endian first.
    void AppendRaw(ReadOnlySpan<byte> bytes, int elementSize)
    {
        if (BitConverter.IsLittleEndian) { _hash.Append(bytes); return; }
        var copy = bytes.ToArray();
        for (var i = 0; i < copy.Length; i += elementSize) copy.AsSpan(i, elementSize).Reverse();
        _hash.Append(copy);
    }
}
