using Repro.Xunit;
using TorchSharp;
using Xunit;
using Repro.Tests.Doctor;
using static TorchSharp.torch;

namespace Repro.Tests.Flat;

// Flat parameters must give every element the bits per-tensor updates give (the committed baselines
// verify with the flat layout on the CPU), follow PyTorch's per-tensor semantics for missing and
// replaced gradients, and never move memory a module keeps for itself.
[Collection(ReproCollection.Name)]
public sealed class FlatParametersTests
{
    static void AssertSameBits(FlatTraining.Result expected, FlatTraining.Result actual)
    {
        Assert.Equal(expected.Parameters, actual.Parameters);
        Assert.Equal(expected.Moments, actual.Moments);
        Assert.Equal(expected.Shadow, actual.Shadow);
        Assert.Equal(expected.Gradients, actual.Gradients);
    }

    [Fact]
    public void Flat_and_per_tensor_training_give_identical_bits_on_the_cpu()
    {
        NativeRuntime.EnsureInitialized();
        var perTensor = FlatTraining.Train(DualTaskModelConfig.Small, CPU, ParameterLayout.PerTensor);
        var flat = FlatTraining.Train(DualTaskModelConfig.Small, CPU, ParameterLayout.Flat);
        Assert.False(perTensor.WasFlat);
        Assert.True(flat.WasFlat);
        AssertSameBits(perTensor, flat);
        // The comparison can fail: one more step moves every parameter.
        Assert.NotEqual(perTensor.Parameters, FlatTraining.Train(DualTaskModelConfig.Small, CPU, ParameterLayout.Flat, steps: 5).Parameters);
    }

    [GpuFact]
    public void Flat_and_per_tensor_training_give_identical_bits_on_cuda()
    {
        var perTensor = FlatTraining.Train(DualTaskModelConfig.Chapter, CUDA, ParameterLayout.PerTensor);
        var flat = FlatTraining.Train(DualTaskModelConfig.Chapter, CUDA, ParameterLayout.Flat);
        Assert.True(flat.WasFlat);
        AssertSameBits(perTensor, flat);
    }

    [Fact]
    public void The_default_layout_is_flat_on_the_cpu_and_an_explicit_layout_wins()
    {
        NativeRuntime.EnsureInitialized();
        using var model = nn.Linear(3, 2);
        using (var auto = new ReproAdamW(model)) Assert.NotNull(auto.Flat);
        using (var perTensor = new ReproAdamW(model, layout: ParameterLayout.PerTensor)) Assert.Null(perTensor.Flat);
    }

    [Fact]
    public void Parameters_become_aligned_views_of_one_buffer_and_backward_accumulates_into_its_gradients()
    {
        NativeRuntime.EnsureInitialized();
        using var model = nn.Sequential(("a", nn.Linear(3, 5)), ("b", nn.Linear(5, 1)));
        var before = model.parameters().Select(p => p.detach().clone()).ToList();
        using var flat = FlatParameters.Create(model);
        var chunk = Assert.Single(flat.Chunks);
        var parameters = model.parameters().ToList();
        Assert.Equal(before.Select(t => t.data<float>().ToArray()), parameters.Select(p => p.detach().data<float>().ToArray()));
        foreach (var p in parameters)
        {
            Assert.Equal(TensorIdentity.StorageAddress(chunk), TensorIdentity.StorageAddress(p));
            Assert.Equal(0, p.storage_offset() * 4 % 512);
        }
        using (no_grad()) chunk.fill_(0.5f);
        Assert.All(parameters, p => Assert.True(p.detach().eq(0.5f).all().item<bool>()));

        using var optimizer = new ReproAdamW(flat, 1e-3, 0);
        model.call(ones(2, 3)).sum().backward();
        optimizer.step();
        var gradients = flat.Layout[0].Gradients;
        Assert.All(parameters, p => Assert.Equal(TensorIdentity.StorageAddress(gradients), TensorIdentity.StorageAddress(p.grad!)));
        optimizer.zero_grad();
        Assert.Equal(0f, gradients.abs().sum().item<float>());
        model.call(ones(2, 3)).sum().backward();
        var once = gradients.clone();
        Assert.NotEqual(0f, once.abs().sum().item<float>());
        model.call(ones(2, 3)).sum().backward();
        Assert.Equal((once * 2).data<float>().ToArray(), gradients.data<float>().ToArray());
    }

    [Fact]
    public void A_parameter_without_a_gradient_is_skipped_and_a_replaced_gradient_is_used_as_per_tensor()
    {
        NativeRuntime.EnsureInitialized();
        (float[] Used, float[] Unused, float[] Replaced) Run(ParameterLayout layout)
        {
            using var guard = TrainingGuard.Enter("flat semantics");
            Repro.Advanced.Determinism.Reseed(1);
            using var used = nn.Linear(4, 2);
            using var unused = nn.Linear(4, 2);
            using var replaced = nn.Linear(4, 2);
            var parameters = new[] { ("used.weight", used.weight!), ("unused.weight", unused.weight!), ("replaced.weight", replaced.weight!) };
            using var optimizer = new ReproAdamW(parameters, 1e-2, 0.1, layout);
            for (var step = 0; step < 3; step++)
            {
                used.call(ones(1, 4) * (step + 1)).sum().backward();
                replaced.weight!.grad = full([2, 4], 0.25f * (step + 1));
                optimizer.step();
                optimizer.zero_grad();
            }
            return (used.weight!.detach().data<float>().ToArray(), unused.weight!.detach().data<float>().ToArray(), replaced.weight!.detach().data<float>().ToArray());
        }
        var perTensor = Run(ParameterLayout.PerTensor);
        var flat = Run(ParameterLayout.Flat);
        Assert.Equal(perTensor.Used, flat.Used);
        Assert.Equal(perTensor.Unused, flat.Unused);
        Assert.Equal(perTensor.Replaced, flat.Replaced);
    }

    [Fact]
    public void Parameters_that_tile_a_shared_storage_stay_in_place_and_other_views_stay_loose()
    {
        NativeRuntime.EnsureInitialized();
        using var shared = arange(10, dtype: ScalarType.Float32);
        var a = new TorchSharp.Modules.Parameter(zeros(4));
        var b = new TorchSharp.Modules.Parameter(zeros(2, 3));
        var loose = new TorchSharp.Modules.Parameter(zeros(3));
        using var other = arange(8, dtype: ScalarType.Float32);
        using (no_grad())
        {
            a.set_(shared.narrow(0, 0, 4));
            b.set_(shared.narrow(0, 4, 6).view(2, 3));
            loose.set_(other.narrow(0, 2, 3));
        }
        var sharedAddress = TensorIdentity.StorageAddress(shared);
        var otherAddress = TensorIdentity.StorageAddress(other);
        using var flat = FlatParameters.Create([("a", a), ("b", b), ("loose", loose)]);
        Assert.Equal(2, flat.Chunks.Count);
        Assert.Equal(sharedAddress, TensorIdentity.StorageAddress(a));
        Assert.Equal(sharedAddress, TensorIdentity.StorageAddress(b));
        Assert.Equal(otherAddress, TensorIdentity.StorageAddress(loose));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (float)i), flat.Chunks[0].data<float>().ToArray());
        using var moments = flat.CreateBuffers(copyParameters: true);
        Assert.Equal([0f, 1, 2, 3], moments.Views[0].data<float>().ToArray());
        Assert.Equal([2f, 3, 4], moments.Views[2].data<float>().ToArray());
    }

    [Fact]
    public void The_same_parameter_twice_is_refused_by_name()
    {
        NativeRuntime.EnsureInitialized();
        using var linear = nn.Linear(2, 2);
        var error = Assert.Throws<ReproException>(() => FlatParameters.Create([("x", linear.weight!), ("tied", linear.weight!)]));
        Assert.Contains("'tied'", error.Message);
    }

    [Fact]
    public void Tensor_identity_holds_on_this_libtorch()
    {
        NativeRuntime.EnsureInitialized();
        Assert.True(TensorIdentity.IsReliable);
    }
}
