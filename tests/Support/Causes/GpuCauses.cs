using static TorchSharp.torch;

namespace Repro.Tests.Support.Causes;

/// <summary>
/// A pooling layer that sums every row of the batch into one context vector with <c>index_add_</c>, with
/// deterministic algorithms off: on CUDA the rows are added with atomics to the same addresses, so
/// the summation order (and the last bits) change from run to run.
/// </summary>
public sealed class AtomicsPooling : RegressionCheck
{
    public override int Epochs => 3;

    public override DeterminismOptions Determinism => base.Determinism with { DeterministicAlgorithms = false };

    protected override nn.Module<Tensor, Tensor>? ExtraLayer() => new IndexAddPool();

    sealed class IndexAddPool() : nn.Module<Tensor, Tensor>(nameof(IndexAddPool))
    {
        public override Tensor forward(Tensor input)
        {
            // Many rows per address (the batch repeated), so the atomics' order shows in the sum.
            var rows = input.repeat(64, 1);
            var total = zeros(1, input.shape[1], dtype: input.dtype, device: input.device);
            var index = zeros(rows.shape[0], dtype: ScalarType.Int64, device: input.device);
            return input + 1e-2 * total.index_add_(0, index, rows, 1);
        }
    }
}

/// <summary>
/// One extra random draw on the GPU in evaluation (a random validation subset, noise for a plot): the
/// CPU generator and the weights after epoch 1 are untouched, the CUDA generator is not.
/// </summary>
public sealed class CudaDrawInEvaluation : RegressionCheck
{
    // Compared with the clean check's baseline: the same name and settings, one line of difference.
    public override string Name => nameof(RegressionCheck);

    protected override double Validate(EpochContext context)
    {
        using var draw = rand(1, device: context.Training.Device);
        return base.Validate(context);
    }
}
