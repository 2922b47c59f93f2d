using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Xunit;

namespace Repro.DualTask.Tests.Replay;

public sealed class SafeTensorsTests : IDisposable
{
    readonly string _directory = Directory.CreateTempSubdirectory("repro-safetensors-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    string PathOf(string name) => Path.Combine(_directory, name);

    [Fact(DisplayName = "SafeTensors: float32, int64 and int32 tensors and metadata round-trip bit for bit, in order")]
    public void Round_trip()
    {
        float[] floats = [1.5f, -0f, float.NaN, float.Epsilon, float.MaxValue, 3.25f];
        long[] longs = [long.MinValue, -1, 0, long.MaxValue];
        int[] ints = [7, -7, int.MaxValue];
        var path = PathOf("round.safetensors");
        SafeTensors.Write(path,
            [SafeTensor.Float32("b.weight", floats, 2, 3), SafeTensor.Int64("a.count", longs, 4), SafeTensor.Int32("order", ints, 3),
             SafeTensor.Int64("scalar", [42]), SafeTensor.Float32("empty", [], 0, 5)],
            new Dictionary<string, string> { ["format"] = "pt", ["note"] = "ünïcode \"quoted\"" });

        var file = SafeTensors.Read(path);
        Assert.Equal(["b.weight", "a.count", "order", "scalar", "empty"], file.Tensors.Select(t => t.Name));
        Assert.Equal(BitsOf(floats), BitsOf(file["b.weight"].AsFloat32()));
        Assert.Equal([2L, 3L], file["b.weight"].Shape);
        Assert.Equal(longs, file["a.count"].AsInt64());
        Assert.Equal(ints, file["order"].AsInt32());
        Assert.Empty(file["scalar"].Shape);
        Assert.Equal([42L], file["scalar"].AsInt64());
        Assert.Equal([0L, 5L], file["empty"].Shape);
        Assert.Equal("ünïcode \"quoted\"", file.Metadata["note"]);
        Assert.Equal("pt", file.Metadata["format"]);
    }

    [Fact(DisplayName = "SafeTensors: the header is 8-byte aligned JSON with contiguous data_offsets, as the format specifies")]
    public void Layout_follows_the_specification()
    {
        var path = PathOf("layout.safetensors");
        SafeTensors.Write(path, [SafeTensor.Float32("x", [1f, 2f, 3f], 3), SafeTensor.Int64("y", [5L], 1)]);
        var bytes = File.ReadAllBytes(path);
        var headerLength = (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(0, headerLength % 8);
        Assert.Equal(8 + headerLength + 12 + 8, bytes.Length);
        var header = Encoding.UTF8.GetString(bytes, 8, (int)headerLength);
        Assert.EndsWith("}", header.TrimEnd(' '), StringComparison.Ordinal);
        using var json = JsonDocument.Parse(header);
        Assert.Equal("F32", json.RootElement.GetProperty("x").GetProperty("dtype").GetString());
        Assert.Equal([0L, 12L], json.RootElement.GetProperty("x").GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()));
        Assert.Equal([12L, 20L], json.RootElement.GetProperty("y").GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()));
        Assert.Equal(2f, BitConverter.ToSingle(bytes, 8 + (int)headerLength + 4));
    }

    [Fact(DisplayName = "SafeTensors: reads a file assembled by hand from the specification (not only its own output)")]
    public void Reads_a_hand_made_file()
    {
        var header = Encoding.UTF8.GetBytes("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"__metadata__\":{\"k\":\"v\"}}");
        var file = new List<byte>();
        var length = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
        file.AddRange(length);
        file.AddRange(header);
        file.AddRange(BitConverter.GetBytes(0.5f));
        file.AddRange(BitConverter.GetBytes(-2f));
        var path = PathOf("hand.safetensors");
        File.WriteAllBytes(path, [.. file]);

        var read = SafeTensors.Read(path);
        Assert.Equal([0.5f, -2f], read["w"].AsFloat32());
        Assert.Equal("v", read.Metadata["k"]);
    }

    [Fact(DisplayName = "SafeTensors: a truncated file is reported with its path and the fix")]
    public void Truncated_file_is_reported()
    {
        var path = PathOf("cut.safetensors");
        SafeTensors.Write(path, [SafeTensor.Float32("x", [1f, 2f, 3f, 4f], 4)]);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^4]);
        var ex = Assert.Throws<ReproException>(() => SafeTensors.Read(path));
        Assert.Contains(path, ex.Message);
        Assert.Contains("'x'", ex.Message);
        Assert.Contains("Re-export", ex.Message);
    }

    [Fact(DisplayName = "SafeTensors: writing a tensor whose bytes do not match its shape fails and names the tensor")]
    public void Inconsistent_tensor_is_refused()
    {
        var bad = new SafeTensor("bad", "F32", [3], new byte[8]);
        var ex = Assert.Throws<ReproException>(() => SafeTensors.Write(PathOf("bad.safetensors"), [bad]));
        Assert.Contains("'bad'", ex.Message);
        Assert.Contains("needs 12", ex.Message);
    }

    [Fact(DisplayName = "SafeTensors: reading with the wrong accessor names the tensor's real dtype")]
    public void Wrong_accessor_is_reported()
    {
        var ex = Assert.Throws<ReproException>(() => SafeTensor.Int32("o", [1], 1).AsFloat32());
        Assert.Contains("I32", ex.Message);
    }

    static int[] BitsOf(float[] values) => [.. values.Select(BitConverter.SingleToInt32Bits)];
}
