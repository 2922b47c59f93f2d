using Repro.Xunit;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Repro.Tests.Fingerprints;

// The lanesum128 digest: the managed definition, the torch path on the CPU and on CUDA must agree bit
// for bit on the same bytes, and the digest must see every change a fingerprint has to see.
[Collection(ReproCollection.Name)]
public sealed class LaneSumTests
{
    // Sizes around row (1024) boundaries, every supported word width, negative and high-bit words,
    // a non-contiguous view and a complex tensor.
    static List<Tensor> Tensors(Device device)
    {
        var generator = new Generator(23);
        return
        [
            randn([1], generator: generator),
            randn([1023], generator: generator),
            randn([1024], generator: generator),
            randn([3, 1025], generator: generator),
            randn([70, 40], generator: generator).t(),
            randn([5000], dtype: ScalarType.Float64, generator: generator),
            randn([2100], generator: generator).to(ScalarType.BFloat16),
            randn([999], generator: generator).to(ScalarType.Float16),
            randint(-(1L << 40), 1L << 40, [1500], dtype: ScalarType.Int64, generator: generator),
            randint(0, 256, [1300], dtype: ScalarType.Byte, generator: generator),
            randint(-128, 128, [1100], dtype: ScalarType.Int8, generator: generator),
            randint(0, 2, [1030], generator: generator).to(ScalarType.Bool),
            randn([600], dtype: ScalarType.ComplexFloat32, generator: generator),
            zeros([0, 4]),
            tensor(new[] { -0.0f, float.NaN, float.PositiveInfinity, float.Epsilon }),
        ];
    }

    static (ulong, ulong) Managed(Tensor tensor)
    {
        var words = TensorWords.Real(tensor).contiguous().flatten();
        return LaneSum.Compute(words.bytes, TensorWords.WordSize(tensor.dtype));
    }

    // The definition written out once more, word by word, as the comment in LaneSum states it.
    static (ulong, ulong) Reference(Tensor tensor)
    {
        var words = TensorWords.Real(tensor).contiguous().flatten();
        var size = TensorWords.WordSize(tensor.dtype);
        var bytes = words.bytes.ToArray();
        ulong a = 0, b = 0;
        for (var i = 0; i < bytes.Length / size; i++)
        {
            var x = size switch
            {
                1 => (sbyte)bytes[i],
                2 => BitConverter.ToInt16(bytes, 2 * i),
                4 => BitConverter.ToInt32(bytes, 4 * i),
                _ => BitConverter.ToInt64(bytes, 8 * i),
            };
            long row = i / 1024, column = i % 1024;
            var u0 = unchecked((row + 1) * (long)0x9E3779B97F4A7C15 + x * ((2 * column + 1) * (long)0xBF58476D1CE4E5B9));
            var u1 = unchecked((row + 1) * (long)0xC2B2AE3D27D4EB4F + x * ((2 * column + 1) * (long)0x94D049BB133111EB));
            a = unchecked(a + (ulong)(u0 ^ (u0 >> 31)));
            b = unchecked(b + (ulong)(u1 ^ (u1 >> 29)));
        }
        return (a, b);
    }

    [Fact]
    public void Managed_lanes_follow_the_written_definition()
    {
        NativeRuntime.EnsureInitialized();
        foreach (var t in Tensors(CPU)) Assert.Equal(Reference(t), Managed(t));
    }

    [Fact]
    public void Torch_path_on_the_cpu_equals_the_managed_definition_in_any_chunking()
    {
        Assert.True(Repro.Advanced.Determinism.Read().DeterministicAlgorithms, "the torch path must run under use_deterministic_algorithms(true)");
        var tensors = Tensors(CPU);
        var managed = tensors.Select(Managed).ToList();
        foreach (var rows in new[] { 8192, 3, 1 })
        {
            LaneSumDevice.ChunkRows = rows;
            try
            {
                Assert.Equal(managed, LaneSumDevice.Compute(tensors));
            }
            finally
            {
                LaneSumDevice.ChunkRows = 8192;
            }
        }
    }

    [GpuFact]
    public void Cuda_digests_equal_the_managed_definition_of_the_same_bytes()
    {
        Assert.True(Repro.Advanced.Determinism.Read().DeterministicAlgorithms, "the CUDA path must run under use_deterministic_algorithms(true)");
        var host = Tensors(CPU);
        var onDevice = host.Select(t => t.to(CUDA)).ToList();
        var managed = host.Select(Managed).ToList();
        // The NVRTC kernel (the default on CUDA) and the torch-op path it replaces, each against the definition.
        var fused = LaneSumKernel.TryCompute(onDevice);
        Assert.True(fused is not null, "the lanesum128 kernel was not used on this GPU: " + LaneSumKernel.Unavailable);
        Assert.Equal(managed, fused);
        LaneSumKernel.Enabled = false;
        try
        {
            Assert.Equal(managed, LaneSumDevice.Compute(onDevice));
        }
        finally
        {
            LaneSumKernel.Enabled = true;
        }
        Assert.Equal(managed, LaneSumDevice.Compute(onDevice));
        var named = host.Select((t, i) => ($"t{i}", t)).ToList();
        Assert.Equal(TensorDigest.Compute(named, TensorHashKinds.LaneSum128), TensorDigest.Compute([.. named.Select(n => (n.Item1, n.t.to(CUDA)))], TensorHashKinds.LaneSum128), new DigestComparer());
    }

    [Fact]
    public void Any_change_of_value_position_shape_or_sign_of_zero_changes_the_hash()
    {
        NativeRuntime.EnsureInitialized();
        var values = Enumerable.Range(0, 3000).Select(i => MathF.Sin(i) * 0.1f).ToArray();
        string Hash(float[] v, long[]? shape = null) => TensorDigest.Compute([("w", tensor(v, shape ?? [v.Length]))], TensorHashKinds.LaneSum128).PerTensor[0];
        var original = Hash(values);
        var hashes = new List<string> { original };

        var oneUlp = (float[])values.Clone();
        oneUlp[2047] = MathF.BitIncrement(oneUlp[2047]);
        hashes.Add(Hash(oneUlp));

        var swapped = (float[])values.Clone();
        (swapped[5], swapped[1029]) = (swapped[1029], swapped[5]);
        hashes.Add(Hash(swapped));

        var rotated = values[1..].Append(values[0]).ToArray();
        hashes.Add(Hash(rotated));

        // values[0] is sin(0) * 0.1 = +0: -0 differs only in the sign bit.
        var negativeZero = (float[])values.Clone();
        negativeZero[0] = -0f;
        hashes.Add(Hash(negativeZero));

        hashes.Add(Hash(values, [3, 1000]));
        Assert.Equal(hashes.Count, hashes.Distinct().Count());
        Assert.Equal(original, Hash((float[])values.Clone()));
    }

    [Fact]
    public void Model_hash_changes_with_names_and_order_but_not_with_the_device_path()
    {
        NativeRuntime.EnsureInitialized();
        var a = tensor(new[] { 1f, 2f });
        var b = tensor(new[] { 3f });
        var model = TensorDigest.Compute([("a", a), ("b", b)], TensorHashKinds.LaneSum128).Model;
        Assert.NotEqual(model, TensorDigest.Compute([("b", b), ("a", a)], TensorHashKinds.LaneSum128).Model);
        Assert.NotEqual(model, TensorDigest.Compute([("a", a), ("c", b)], TensorHashKinds.LaneSum128).Model);
        Assert.Equal(model, TensorDigest.Compute([("a", a.clone()), ("b", b.clone())], TensorHashKinds.LaneSum128).Model);
        Assert.NotEqual(model, TensorDigest.Compute([("a", a), ("b", b)], TensorHashKinds.XxHash128).Model);
    }

    [Fact]
    public void An_unknown_hash_kind_is_refused_with_the_known_ones()
    {
        NativeRuntime.EnsureInitialized();
        var error = Assert.Throws<ReproException>(() => TensorDigest.Compute([("a", tensor(new[] { 1f }))], "md5"));
        Assert.Contains("lanesum128", error.Message);
    }

    sealed class DigestComparer : IEqualityComparer<(IReadOnlyList<string> PerTensor, string Model)>
    {
        public bool Equals((IReadOnlyList<string> PerTensor, string Model) x, (IReadOnlyList<string> PerTensor, string Model) y) =>
            x.Model == y.Model && x.PerTensor.SequenceEqual(y.PerTensor);

        public int GetHashCode((IReadOnlyList<string> PerTensor, string Model) obj) => obj.Model.GetHashCode(StringComparison.Ordinal);
    }
}
