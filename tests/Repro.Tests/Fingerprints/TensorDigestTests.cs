using Repro.Xunit;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Repro.Tests.Fingerprints;

// The one-pass digest must equal the plain definitions it replaces, or every baseline would move.
[Collection(ReproCollection.Name)]
public sealed class TensorDigestTests
{
    static List<(string, Tensor)> Tensors(Device device)
    {
        var generator = new Generator(11);
        return
        [
            ("a.weight", randn([7, 5], generator: generator).to(device)),
            ("a.steps", tensor(new long[] { 3, 1, 4 }).to(device)),
            ("empty", zeros([0, 4]).to(device)),
            ("b.bias", randn([13], generator: generator).to(device)),
            ("transposed", randn([3, 4], generator: generator).t().to(device)),
        ];
    }

    static void AssertMatchesDefinitions(List<(string Name, Tensor Tensor)> tensors)
    {
        var (perTensor, model) = TensorDigest.Compute(tensors);
        Assert.Equal(tensors.Select(t => TensorHasher.Hash(t.Tensor)), perTensor);
        Assert.Equal(ModelFingerprint.HashNamedStreaming(tensors), model);
        Assert.Equal(perTensor.Count, perTensor.Distinct().Count());
    }

    [Fact]
    public void Cpu_digest_equals_the_per_tensor_and_streaming_model_hashes()
    {
        NativeRuntime.EnsureInitialized();
        AssertMatchesDefinitions(Tensors(CPU));
    }

    [GpuFact]
    public void Device_digest_equals_the_definitions_and_the_cpu_digest()
    {
        var onDevice = Tensors(CUDA);
        AssertMatchesDefinitions(onDevice);
        Assert.Equal(TensorDigest.Compute(Tensors(CPU)).Model, TensorDigest.Compute(onDevice).Model);
    }

    [Fact]
    public void One_changed_element_changes_its_hash_and_the_model_hash_only()
    {
        NativeRuntime.EnsureInitialized();
        var tensors = Tensors(CPU);
        var before = TensorDigest.Compute(tensors);
        using (no_grad()) tensors[3].Item2[5] = tensors[3].Item2[5] + 1e-6f;
        var after = TensorDigest.Compute(tensors);
        Assert.NotEqual(before.Model, after.Model);
        Assert.Equal([0, 1, 2, 4], Enumerable.Range(0, 5).Where(i => before.PerTensor[i] == after.PerTensor[i]));
    }
}
