using Repro.Xunit;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Repro.DualTask.Tests.Model;

// The fused kernels on CUDA, independent of any baseline: cuDNN batch norm through ATenOps computes batch
// norm (close to the module's kernel, running statistics updated the same way), and the chapter-fused
// model trains twice to the same bits in one process.
[Collection(ReproCollection.Name)]
public sealed class FusedCudaTests
{
    [GpuFact]
    public void Cudnn_batch_norm_matches_the_module_kernel_to_float_tolerance_and_updates_the_running_statistics()
    {
        using var guard = TrainingGuard.Enter("cudnn batch norm on CUDA");
        using var scope = NewDisposeScope();
        var generator = new Generator(9);
        var input = randn([64, 16, 30], generator: generator).cuda();
        using var module = nn.BatchNorm1d(16);
        using var cudnn = new CudnnBatchNorm1d(16);
        module.cuda(); cudnn.cuda();
        module.train(); cudnn.train();

        var expected = module.call(input);
        var actual = cudnn.call(input);

        Assert.True(expected.allclose(actual, rtol: 1e-4, atol: 1e-5), $"outputs differ by {(expected - actual).abs().max().item<float>()}");
        Assert.True(module.running_mean!.allclose(cudnn.running_mean!, rtol: 1e-5, atol: 1e-6));
        Assert.True(module.running_var!.allclose(cudnn.running_var!, rtol: 1e-5, atol: 1e-6));
        Assert.Equal(1L, cudnn.num_batches_tracked!.item<long>());
        Assert.False(cudnn.running_mean!.eq(zeros(16, device: CUDA)).all().item<bool>(), "the running mean was not updated");
    }

    [GpuFact]
    public void The_chapter_fused_config_trains_twice_to_the_same_bits()
    {
        var config = DualTaskConfig.ChapterFused with
        {
            Epochs = 1,
            Determinism = DualTaskConfig.ChapterFused.Determinism with { Device = DeviceRequest.Cuda },
        };
        string first, second;
        using (var run = TrainingHarness.Run(new DualTaskCheck(config))) first = run.Fingerprint.ModelHash;
        using (var run = TrainingHarness.Run(new DualTaskCheck(config))) second = run.Fingerprint.ModelHash;
        Assert.Equal(first, second);
        using var module = TrainingHarness.Run(new DualTaskCheck(config with { Model = DualTaskModelConfig.Chapter }));
        Assert.NotEqual(first, module.Fingerprint.ModelHash);
    }
}
