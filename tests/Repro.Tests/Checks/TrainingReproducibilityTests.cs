using Repro.Xunit;
using TorchSharp;
using Xunit;

namespace Repro.Tests.Checks;

[Collection(ReproCollection.Name)]
public sealed class TrainingReproducibilityTests
{
    [CpuFact(DisplayName = "CPU: trains a small model twice in the test process and gets identical weight hashes")]
    public void Cpu_training_is_bit_identical()
    {
        var first = TinyTraining.TrainAndHash(torch.CPU);
        var second = TinyTraining.TrainAndHash(torch.CPU);
        Assert.Equal(first, second);
        // The hash must be sensitive to the training, or the equality above proves nothing.
        Assert.NotEqual(first, TinyTraining.TrainAndHash(torch.CPU, seed: 43));
        Assert.NotEqual(first, TinyTraining.TrainAndHash(torch.CPU, steps: 19));
    }

    [GpuFact(DisplayName = "GPU: trains a small model twice in the test process and gets identical weight hashes")]
    public void Gpu_training_is_bit_identical()
    {
        var env = EnvironmentFingerprint.Capture();
        Assert.Equal("cuda", env.Device);
        Assert.NotNull(env.GpuModel);
        Assert.Matches(@"^\d", env.CudaRuntimeVersion ?? "");
        Assert.NotNull(env.CudnnVersion);

        var first = TinyTraining.TrainAndHash(torch.CUDA);
        var second = TinyTraining.TrainAndHash(torch.CUDA);
        Assert.Equal(first, second);
        Assert.NotEqual(first, TinyTraining.TrainAndHash(torch.CUDA, seed: 43));
    }
}
