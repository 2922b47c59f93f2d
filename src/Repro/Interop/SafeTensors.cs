using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace Repro.Advanced;

/// <summary>
/// Reads and writes the safetensors format (https://github.com/huggingface/safetensors): an 8-byte
/// little-endian header length N, N bytes of JSON header
/// <c>{name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {string: string}}</c> padded
/// with spaces to a multiple of 8, then the raw tensor bytes. Written here rather than taken from a
/// package so that the exported files depend on nothing but this code, and PyTorch reads them with
/// the standard library alone.
/// </summary>
public static class SafeTensors
{
    const string MetadataKey = "__metadata__";
    // The reference implementation refuses headers over 100 MB; a larger one means a corrupt file.
    const long MaxHeaderBytes = 100_000_000;

    static readonly Dictionary<string, int> ElementSizes = new(StringComparer.Ordinal)
    {
        ["F64"] = 8, ["F32"] = 4, ["F16"] = 2, ["BF16"] = 2,
        ["I64"] = 8, ["I32"] = 4, ["I16"] = 2, ["I8"] = 1, ["U8"] = 1, ["BOOL"] = 1,
    };

    /// <summary>Bytes per element of a safetensors dtype code.</summary>
    /// <exception cref="ReproException">The code is not one this reader supports.</exception>
    public static int ElementSize(string dtype) => ElementSizes.TryGetValue(dtype, out var size) ? size
        : throw new ReproException($"safetensors dtype '{dtype}' is not supported; use one of {string.Join(", ", ElementSizes.Keys)}.");

    /// <summary>Writes the tensors, in the given order and back to back, with optional string metadata.</summary>
    public static void Write(string path, IEnumerable<SafeTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(tensors);
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None);
        Write(stream, tensors, metadata);
    }

    // The same bytes to any stream (checkpoints hash them on the way and sync the file themselves).
    internal static void Write(Stream stream, IEnumerable<SafeTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var list = tensors.ToList();
        var header = Header(list, metadata);
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
        stream.Write(length);
        stream.Write(header);
        foreach (var tensor in list) stream.Write(tensor.Data);
    }

    /// <summary>Reads a whole file; tensors come back in header order.</summary>
    /// <exception cref="ReproException">The file is missing, truncated or its header is malformed; the message names the file and the problem.</exception>
    public static SafeTensorFile Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
            throw new ReproException($"{path}: file not found. Export it with 'repro export --out <dir>' (or ReplayExport.Write) first.");
        return Parse(path, File.ReadAllBytes(path));
    }

    // Parses a file's bytes already in memory; path only names it in messages.
    internal static SafeTensorFile Parse(string path, byte[] bytes)
    {
        if (bytes.Length < 8)
            throw Malformed(path, $"it has {bytes.Length} bytes, fewer than the 8-byte header length");
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (headerLength > MaxHeaderBytes || (long)headerLength > bytes.Length - 8)
            throw Malformed(path, $"the header length {headerLength} does not fit the file of {bytes.Length} bytes (truncated, or not a safetensors file)");
        var dataStart = 8 + (int)headerLength;
        var dataLength = bytes.Length - dataStart;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes.AsMemory(8, (int)headerLength));
        }
        catch (JsonException ex)
        {
            throw Malformed(path, $"the header is not valid JSON ({ex.Message})");
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw Malformed(path, "the header is not a JSON object");
            var tensors = new List<SafeTensor>();
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var entry in document.RootElement.EnumerateObject())
            {
                if (entry.Name == MetadataKey)
                {
                    ReadMetadata(path, entry.Value, metadata);
                    continue;
                }
                tensors.Add(ReadTensor(path, entry, bytes.AsSpan(dataStart, dataLength)));
            }
            return new SafeTensorFile(tensors, metadata);
        }
    }

    static byte[] Header(List<SafeTensor> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject(MetadataKey);
                foreach (var (key, value) in metadata) json.WriteString(key, value);
                json.WriteEndObject();
            }
            var names = new HashSet<string>(StringComparer.Ordinal);
            long offset = 0;
            foreach (var tensor in tensors)
            {
                Check(tensor, names);
                json.WriteStartObject(tensor.Name);
                json.WriteString("dtype", tensor.DType);
                json.WriteStartArray("shape");
                foreach (var dimension in tensor.Shape) json.WriteNumberValue(dimension);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset + tensor.Data.Length);
                json.WriteEndArray();
                json.WriteEndObject();
                offset += tensor.Data.Length;
            }
            json.WriteEndObject();
        }
        // Pad with spaces so the data starts 8-byte aligned, as the format recommends.
        var header = buffer.ToArray();
        var padded = (header.Length + 7) / 8 * 8;
        var result = new byte[padded];
        header.CopyTo(result, 0);
        result.AsSpan(header.Length).Fill((byte)' ');
        return result;
    }

    static void Check(SafeTensor tensor, HashSet<string> names)
    {
        if (string.IsNullOrEmpty(tensor.Name) || tensor.Name == MetadataKey)
            throw new ReproException($"Tensor name '{tensor.Name}' cannot be stored: names must be non-empty and not '{MetadataKey}'.");
        if (!names.Add(tensor.Name))
            throw new ReproException($"Tensor name '{tensor.Name}' appears twice; every tensor in a safetensors file needs its own name.");
        if (tensor.Shape.Any(d => d < 0))
            throw new ReproException($"Tensor '{tensor.Name}' has a negative dimension in shape [{string.Join(", ", tensor.Shape)}].");
        var expected = tensor.ElementCount * ElementSize(tensor.DType);
        if (expected != tensor.Data.Length)
            throw new ReproException($"Tensor '{tensor.Name}' has {tensor.Data.Length} bytes but {tensor.DType} [{string.Join(", ", tensor.Shape)}] needs {expected}.");
    }

    static void ReadMetadata(string path, JsonElement element, Dictionary<string, string> metadata)
    {
        if (element.ValueKind != JsonValueKind.Object)
            throw Malformed(path, $"'{MetadataKey}' is not an object of strings");
        foreach (var item in element.EnumerateObject())
        {
            if (item.Value.ValueKind != JsonValueKind.String)
                throw Malformed(path, $"metadata '{item.Name}' is not a string (safetensors metadata maps strings to strings)");
            metadata[item.Name] = item.Value.GetString()!;
        }
    }

    static SafeTensor ReadTensor(string path, JsonProperty entry, ReadOnlySpan<byte> data)
    {
        var name = entry.Name;
        var value = entry.Value;
        if (value.ValueKind != JsonValueKind.Object
            || !value.TryGetProperty("dtype", out var dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String
            || !value.TryGetProperty("shape", out var shapeElement) || shapeElement.ValueKind != JsonValueKind.Array
            || !value.TryGetProperty("data_offsets", out var offsetsElement) || offsetsElement.ValueKind != JsonValueKind.Array
            || offsetsElement.GetArrayLength() != 2)
            throw Malformed(path, $"tensor '{name}' needs \"dtype\" (string), \"shape\" (array) and \"data_offsets\" ([begin, end])");
        var dtype = dtypeElement.GetString()!;
        if (!ElementSizes.TryGetValue(dtype, out var elementSize))
            throw Malformed(path, $"tensor '{name}' has dtype '{dtype}', which this reader does not support ({string.Join(", ", ElementSizes.Keys)})");
        var shape = new List<long>();
        foreach (var dimension in shapeElement.EnumerateArray())
        {
            if (!dimension.TryGetInt64(out var d) || d < 0)
                throw Malformed(path, $"tensor '{name}' has a shape entry that is not a non-negative integer");
            shape.Add(d);
        }
        long[] offsets = [.. offsetsElement.EnumerateArray().Select(o => o.TryGetInt64(out var v) ? v : -1)];
        var (begin, end) = (offsets[0], offsets[1]);
        if (begin < 0 || end < begin || end > data.Length)
            throw Malformed(path, $"tensor '{name}' has data_offsets [{begin}, {end}] outside the {data.Length} data bytes (truncated file?)");
        var expected = shape.Aggregate(1L, (p, d) => p * d) * elementSize;
        if (end - begin != expected)
            throw Malformed(path, $"tensor '{name}' spans {end - begin} bytes but {dtype} [{string.Join(", ", shape)}] needs {expected}");
        return new SafeTensor(name, dtype, shape, data[(int)begin..(int)end].ToArray());
    }

    static ReproException Malformed(string path, string problem) =>
        new($"{path} is not a valid safetensors file: {problem}. Re-export it with 'repro export' rather than editing it.");
}
