using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace Repro;

/// <summary>
/// A data hash for <see cref="TrainingCheck.PrepareData"/>: XxHash128 over little-endian raw bytes, with every array length-prefixed so that moving a value
/// from one array to the next changes the hash.
/// </summary>
public sealed class ContentHasher
{
    readonly XxHash128 _hash = new();

    /// <summary>Adds one value.</summary>
    public void Add(int value)
    {
        Span<byte> bytes = stackalloc byte[sizeof(int)];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, value);
        _hash.Append(bytes);
    }

    /// <summary>Adds a length-prefixed array.</summary>
    public void Add(ReadOnlySpan<int> values)
    {
        Add(values.Length);
        AppendRaw(MemoryMarshal.AsBytes(values), sizeof(int));
    }

    /// <summary>Adds a length-prefixed array.</summary>
    public void Add(ReadOnlySpan<long> values)
    {
        Add(values.Length);
        AppendRaw(MemoryMarshal.AsBytes(values), sizeof(long));
    }

    /// <summary>Adds a length-prefixed array.</summary>
    public void Add(ReadOnlySpan<float> values)
    {
        Add(values.Length);
        AppendRaw(MemoryMarshal.AsBytes(values), sizeof(float));
    }

    /// <summary>The hash so far, as lower-case hex (what fingerprints store as a data hash).</summary>
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
