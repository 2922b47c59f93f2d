using TorchSharp;
using static TorchSharp.torch;

namespace Repro.Tests.Checkpoints;

/// <summary>
/// The second model family for resumption: a small CNN on generated 12x12 images (conv, BatchNorm,
/// dropout, linear), trained with TorchSharp's own Adam (not ReproAdamW), keeping check state a
/// checkpoint must carry: a smoothed loss updated every step and early-stopping counters (its own
/// SaveState), and an epoch's running loss sum (the harness's context.Sums). Public with a
/// parameterless constructor, so 'repro run --assembly' can resume it in a fresh process.
/// </summary>
public class TinyCnnCheck : TrainingCheck
{
    const int Samples = 160, Side = 12, Classes = 3;
    Tensor? _images, _labels;
    Tensor? _smoothedLoss;
    double _bestLoss = double.PositiveInfinity;
    int _epochsWithoutImprovement;

    /// <inheritdoc />
    public override int Epochs => 3;

    /// <summary>Batch size: 160 samples give 5 steps an epoch.</summary>
    public virtual int BatchSize => 32;

    /// <summary>CPU unless a subclass says otherwise.</summary>
    protected virtual DeviceRequest Device => DeviceRequest.Cpu;

    /// <inheritdoc />
    public override DeterminismOptions Determinism => new() { Device = Device };

    /// <inheritdoc />
    public override object Settings => new { Name, Seed, Epochs, BatchSize, Device, Model = "tiny-cnn-v1" };

    /// <inheritdoc />
    protected internal override string PrepareData(TrainingContext context)
    {
        var random = context.Random("tiny-cnn-data");
        var pixels = new float[Samples * Side * Side];
        var labels = new long[Samples];
        for (var i = 0; i < Samples; i++)
        {
            labels[i] = random.Next(Classes);
            for (var p = 0; p < Side * Side; p++)
                pixels[i * Side * Side + p] = (float)(random.NextGaussian() + (p % Classes == labels[i] ? 1.0 : 0.0));
        }
        _images = tensor(pixels, [Samples, 1, Side, Side]).to(context.Device).DetachFromDisposeScope();
        _labels = tensor(labels, [Samples]).to(context.Device).DetachFromDisposeScope();
        return TensorHasher.HashBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(pixels.AsSpan()));
    }

    /// <inheritdoc />
    protected internal override nn.Module CreateModel(TrainingContext context) => nn.Sequential(
        ("conv", nn.Conv2d(1, 4, 3, padding: 1)),
        ("norm", nn.BatchNorm2d(4)),
        ("relu", nn.ReLU()),
        ("drop", nn.Dropout(0.25)),
        ("flat", nn.Flatten()),
        ("fc", nn.Linear(4 * Side * Side, Classes)));

    /// <inheritdoc />
    protected internal override optim.Optimizer CreateOptimizer(nn.Module model, TrainingContext context)
    {
        _smoothedLoss = zeros(1, device: context.Device).DetachFromDisposeScope();
        return optim.Adam(model.parameters(), 0.01);
    }

    /// <inheritdoc />
    protected internal override Metrics TrainEpoch(EpochContext context)
    {
        var model = (nn.Module<Tensor, Tensor>)context.Training.Model;
        model.train();
        var sum = context.Sums("loss");
        foreach (var samples in context.Batches(Samples, BatchSize))
        {
            using var scope = NewDisposeScope();
            using var index = tensor(samples.ToArray(), device: context.Training.Device);
            var loss = nn.functional.cross_entropy(model.call(_images!.index_select(0, index)), _labels!.index_select(0, index));
            loss.backward();
            context.Update();
            using (no_grad())
            {
                _smoothedLoss!.mul_(0.9).add_(loss.detach(), alpha: 0.1);
                sum.Add(loss.detach().to(ScalarType.Float64) * samples.Count);
            }
        }
        var mean = sum.Totals()["loss"] / Samples;
        if (mean < _bestLoss) (_bestLoss, _epochsWithoutImprovement) = (mean, 0);
        else _epochsWithoutImprovement++;
        return new Metrics { ["loss"] = mean, ["smoothedLoss"] = _smoothedLoss!.item<float>(), ["epochsWithoutImprovement"] = _epochsWithoutImprovement };
    }

    /// <inheritdoc />
    protected internal override void SaveState(CheckpointState state)
    {
        state.Set("smoothed-loss", _smoothedLoss!);
        state.SetValue("best-loss", _bestLoss);
        state.SetValue("epochs-without-improvement", _epochsWithoutImprovement);
    }

    /// <inheritdoc />
    protected internal override void LoadState(CheckpointState state)
    {
        state.CopyTo("smoothed-loss", _smoothedLoss!);
        _bestLoss = state.GetValue<double>("best-loss");
        _epochsWithoutImprovement = state.GetValue<int>("epochs-without-improvement");
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (!disposing) return;
        _images?.Dispose();
        _labels?.Dispose();
        _smoothedLoss?.Dispose();
    }
}

/// <summary>The tiny CNN on CUDA: its dropout draws from the CUDA generator.</summary>
public sealed class TinyCnnCudaCheck : TinyCnnCheck
{
    /// <inheritdoc />
    protected override DeviceRequest Device => DeviceRequest.Cuda;
}
