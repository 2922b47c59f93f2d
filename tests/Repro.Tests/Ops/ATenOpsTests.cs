using Repro.Xunit;
using TorchSharp;
using Xunit;
using Repro.Tests.Doctor;
using static TorchSharp.torch;

namespace Repro.Tests.Ops;

// ATenOps.BatchNorm reaches at::batch_norm through the loaded libtorch. On the CPU ATen ignores
// cudnn_enabled, so the call must give TorchSharp's functional batch_norm bit for bit (output, running
// statistics and gradients): that proves the arguments arrive where they belong.
[Collection(ReproCollection.Name)]
public sealed class ATenOpsTests
{
    [CpuFact]
    public void Batch_norm_through_the_native_call_equals_torchsharps_on_the_cpu_bit_for_bit()
    {
        using var guard = TrainingGuard.Enter("ATenOps.BatchNorm on the CPU");
        using var scope = NewDisposeScope();
        var generator = new Generator(21);
        foreach (var training in new[] { true, false })
        {
            var input = randn([16, 6, 10], generator: generator);
            var weight = (rand([6], generator: generator) + 0.5).requires_grad_();
            var bias = randn([6], generator: generator).requires_grad_();
            var (mean1, var1) = (randn([6], generator: generator), rand([6], generator: generator) + 1);
            var (mean2, var2) = (mean1.clone(), var1.clone());
            var expectedInput = input.clone().requires_grad_();
            var actualInput = input.clone().requires_grad_();

            var expected = nn.functional.batch_norm(expectedInput, mean1, var1, weight, bias, training, 0.1, 1e-5);
            var expectedGrads = Gradients(expected, expectedInput, weight, bias);
            var actual = ATenOps.BatchNorm(actualInput, weight, bias, mean2, var2, training, 0.1, 1e-5, cudnnEnabled: true);
            var actualGrads = Gradients(actual, actualInput, weight, bias);

            Assert.Equal(Bytes(expected), Bytes(actual));
            Assert.Equal(Bytes(mean1), Bytes(mean2));
            Assert.Equal(Bytes(var1), Bytes(var2));
            for (var i = 0; i < expectedGrads.Count; i++) Assert.Equal(expectedGrads[i], actualGrads[i]);
            // The flag arrives: training normalises each channel with the batch's statistics (mean = bias).
            var centred = (actual.detach() - bias.detach().view(1, -1, 1)).mean([0, 2]).abs().max().item<float>();
            Assert.Equal(training, centred < 1e-4);
        }
    }

    static List<byte[]> Gradients(Tensor output, params Tensor[] inputs)
    {
        foreach (var t in inputs) t.grad?.zero_();
        (output * arange(output.numel(), dtype: output.dtype).reshape(output.shape)).sum().backward();
        return [.. inputs.Select(t => Bytes(t.grad!))];
    }

    static byte[] Bytes(Tensor t) => t.detach().contiguous().bytes.ToArray();

    [CpuFact]
    public void Inputs_libtorch_would_refuse_are_refused_before_the_native_call()
    {
        using var guard = TrainingGuard.Enter("ATenOps.BatchNorm refusals");
        using var scope = NewDisposeScope();
        var input = zeros([4, 3, 5]);
        Assert.Contains("shape [2]", Refused(() => ATenOps.BatchNorm(input, ones(2), null, null, null, true, 0.1, 1e-5, true)));
        Assert.Contains("at least 2 dimensions", Refused(() => ATenOps.BatchNorm(zeros([4]), null, null, null, null, true, 0.1, 1e-5, true)));
        Assert.Contains("both running statistics", Refused(() => ATenOps.BatchNorm(input, null, null, zeros(3), null, true, 0.1, 1e-5, true)));
        Assert.Contains("give runningMean", Refused(() => ATenOps.BatchNorm(input, null, null, null, null, false, 0.1, 1e-5, true)));
        Assert.Contains("one dtype", Refused(() => ATenOps.BatchNorm(input, ones(3, ScalarType.Float64), null, null, null, true, 0.1, 1e-5, true)));
        Assert.Contains("floating-point", Refused(() => ATenOps.BatchNorm(zeros([4, 3], ScalarType.Int64), null, null, null, null, true, 0.1, 1e-5, true)));
        Assert.Contains("one value per channel", Refused(() => ATenOps.BatchNorm(zeros([1, 3]), null, null, null, null, true, 0.1, 1e-5, true)));
        Assert.Contains("eps=0", Refused(() => ATenOps.BatchNorm(input, null, null, null, null, true, 0.1, 0, true)));
    }

    static string Refused(Func<Tensor> call) => Assert.Throws<ReproException>(() => call()).Message;
}
