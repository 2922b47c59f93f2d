using Repro.Advanced;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Repro.DualTask;

/// <summary>
/// TorchSharp 0.107's <c>BatchNorm1d</c>, line for line (its <c>BatchNorm.forward</c>), except that
/// <c>batch_norm</c> is called with cuDNN enabled, as Python's <c>nn.BatchNorm1d</c> calls it. Same
/// parameters and buffers, under the same names. CUDA input only (<see cref="BatchNormKernel.Cudnn"/>).
/// </summary>
internal sealed class CudnnBatchNorm1d(long features)
    : BatchNorm(features, eps: 1e-5, momentum: 0.1, affine: true, track_running_stats: true, device: null, dtype: null, name: nameof(BatchNorm1d))
{
    protected override void ValidateInputDimensions(Tensor input)
    {
        if (input.ndim != 2 && input.ndim != 3)
            throw new ArgumentException($"expected 2D or 3D input, but got {input.ndim}D input.");
    }

    public override Tensor forward(Tensor input)
    {
        ValidateInputDimensions(input);
        if (input.device_type != TorchSharp.DeviceType.CUDA)
            throw new ReproException($"DualTaskModelConfig.BatchNorm=cudnn needs CUDA input, but this batch is on {input.device}: " +
                "cuDNN does not exist on the CPU (ATen would silently run the module's kernel). Use \"batchNorm\": \"module\" on the CPU.");
        var factor = momentum ?? 0.0;
        if (training && track_running_stats && num_batches_tracked is not null)
        {
            num_batches_tracked.add_(1);
            factor = momentum ?? 1.0 / (double)num_batches_tracked;
        }
        var batchStatistics = training || (running_mean is null && running_var is null);
        var useRunning = !training || track_running_stats;
        return ATenOps.BatchNorm(input, weight, bias, useRunning ? running_mean : null, useRunning ? running_var : null,
            batchStatistics, factor, eps, cudnnEnabled: true);
    }
}
