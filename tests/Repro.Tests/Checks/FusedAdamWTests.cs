using Repro.Xunit;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Repro.Tests.Checks;

// ReproAdamW with AdamWKernel.Fused calls libtorch's _fused_adamw_ (its CPU kernel here): it must compute
// AdamW (the reference update to float tolerance, every step's bias correction included), twice alike,
// in either parameter layout, and refuse what the kernel cannot take before the native call.
[Collection(ReproCollection.Name)]
public sealed class FusedAdamWTests
{
    static readonly long[][] Shapes = [[7, 3], [5], [33], [2, 2, 9]];

    static (List<float[]> Parameters, List<float[]> Moments) Train(AdamWKernel kernel, ParameterLayout layout, int steps = 6)
    {
        using var guard = TrainingGuard.Enter($"AdamW {kernel} {layout}");
        using var scope = NewDisposeScope();
        var generator = new Generator(13);
        var parameters = Shapes.Select((shape, i) => ($"p{i}", new TorchSharp.Modules.Parameter(randn(shape, generator: generator)))).ToArray();
        using var optimizer = new ReproAdamW(parameters, learningRate: 1e-2, weightDecay: 0.1, layout, kernel);
        Assert.Equal(kernel, optimizer.Kernel);
        for (var step = 0; step < steps; step++)
        {
            optimizer.zero_grad();
            foreach (var (_, p) in parameters)
                (p * randn(p.shape, generator: generator)).sum().backward();
            optimizer.step();
        }
        return ([.. parameters.Select(p => p.Item2.detach().contiguous().data<float>().ToArray())],
                [.. optimizer.State().Select(s => s.Tensor.contiguous().data<float>().ToArray())]);
    }

    [CpuFact]
    public void Fused_adamw_is_adamw_to_float_tolerance_and_repeats_bit_for_bit()
    {
        var reference = Train(AdamWKernel.Reference, ParameterLayout.PerTensor);
        var fused = Train(AdamWKernel.Fused, ParameterLayout.PerTensor);
        var again = Train(AdamWKernel.Fused, ParameterLayout.PerTensor);
        var flat = Train(AdamWKernel.Fused, ParameterLayout.Flat);

        for (var i = 0; i < reference.Parameters.Count; i++)
            for (var j = 0; j < reference.Parameters[i].Length; j++)
                Assert.True(Math.Abs(reference.Parameters[i][j] - fused.Parameters[i][j]) <= 1e-5 * Math.Abs(reference.Parameters[i][j]) + 1e-6,
                    $"p{i}[{j}]: reference {reference.Parameters[i][j]:R}, fused {fused.Parameters[i][j]:R}");
        for (var i = 0; i < reference.Moments.Count; i++)
            for (var j = 0; j < reference.Moments[i].Length; j++)
                Assert.True(Math.Abs(reference.Moments[i][j] - fused.Moments[i][j]) <= 1e-5 * Math.Abs(reference.Moments[i][j]) + 1e-9,
                    $"moment {i}[{j}]: reference {reference.Moments[i][j]:R}, fused {fused.Moments[i][j]:R}");
        Assert.Equal(fused.Parameters, again.Parameters);
        Assert.Equal(fused.Moments, again.Moments);
        // Tensor by tensor in the flat layout too, so the buffer offsets move no element.
        Assert.Equal(fused.Parameters, flat.Parameters);
        Assert.Equal(fused.Moments, flat.Moments);
    }

    [CpuFact]
    public void Fused_adamw_refuses_mixed_dtypes_before_the_native_call()
    {
        using var guard = TrainingGuard.Enter("fused AdamW refusal");
        using var scope = NewDisposeScope();
        var parameters = new[] { ("a", new TorchSharp.Modules.Parameter(ones(3))), ("b", new TorchSharp.Modules.Parameter(ones(3, ScalarType.Float64))) };
        using var optimizer = new ReproAdamW(parameters, layout: ParameterLayout.PerTensor, kernel: AdamWKernel.Fused);
        foreach (var (_, p) in parameters) p.sum().backward();
        var ex = Assert.Throws<ReproException>(() => optimizer.step());
        Assert.Contains("one device and dtype", ex.Message);
        Assert.Throws<ReproException>(() => new ReproAdamW(parameters, kernel: (AdamWKernel)5));
    }
}
