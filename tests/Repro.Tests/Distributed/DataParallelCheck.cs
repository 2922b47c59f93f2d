using static TorchSharp.torch;

namespace Repro.Tests.Distributed;

// TinyMlp through the harness as a data-parallel check: on one device it trains through a world of one,
// which must give the bits the simulated worlds give.
public sealed class DataParallelCheck : TrainingCheck
{
    Tensor? _features, _labels;
    nn.Module<Tensor, Tensor>? _model;

    public DistributedMode Mode { get; init; } = DistributedMode.WorldSizeInvariant;

    public int MicroBatches { get; init; } = 4;

    // Dropout from torch's own generator (nn.Dropout) instead of a generator of the micro-batch's seed.
    public bool ModuleDropout { get; init; }

    // Draws from torch's generator between micro-batches (before = ahead of the micro-batch's draws, inside = after the harness seeded them).
    public string? ExtraDraws { get; init; }

    public override int Epochs => 2;

    public override object Settings => new { Name, Seed, Epochs, TinyMlp.BatchSize, Distributed, ModuleDropout, ExtraDraws, Model = "tiny-mlp-v1" };

    public override DistributedOptions? Distributed => new() { MicroBatches = MicroBatches, Mode = Mode };

    protected internal override string? PrepareData(TrainingContext context)
    {
        var (features, labels) = TinyMlp.Data(Seed);
        _features = tensor(features, [TinyMlp.Samples, TinyMlp.Inputs]).to(context.Device).DetachFromDisposeScope();
        _labels = tensor(labels).to(context.Device).DetachFromDisposeScope();
        return null;
    }

    protected internal override nn.Module CreateModel(TrainingContext context) => _model = TinyMlp.Create();

    protected internal override optim.Optimizer CreateOptimizer(nn.Module model, TrainingContext context) => new ReproAdamW(model, 0.01);

    protected internal override Metrics TrainEpoch(EpochContext context)
    {
        _model!.train();
        foreach (var batch in context.Batches(TinyMlp.Samples, TinyMlp.BatchSize, dropLast: true))
        {
            if (ExtraDraws == "before") rand(3, device: context.Training.Device).Dispose();
            foreach (var micro in context.MicroBatches(batch))
            {
                if (ExtraDraws == "inside") rand(3, device: context.Training.Device).Dispose();
                TinyMlp.Step(_model, _features!, _labels!, micro.Samples, ModuleDropout ? null : micro.Seed);
                if (ExtraDraws == "before") rand(3, device: context.Training.Device).Dispose();
            }
            context.Update();
        }
        // StepInEpoch counts the steps a resumed run skipped too.
        return new Metrics { ["steps"] = context.StepInEpoch };
    }

    protected override void Dispose(bool disposing)
    {
        _features?.Dispose();
        _labels?.Dispose();
    }
}
