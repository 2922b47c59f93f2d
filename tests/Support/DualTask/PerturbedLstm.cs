using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Repro.Tests.Support.DualTask;

// The DualTask check with a tiny random perturbation of the LSTM's output on every second training
// in the process, added through a forward hook on 'lstm': something that differs between trainings
// inside one module of the reference model, for the localiser to find.
internal sealed class PerturbedLstm(DualTaskConfig config, bool perturb) : TrainingCheck
{
    readonly DualTaskCheck _inner = new(config);

    public override string Name => _inner.Name;
    public override long Seed => _inner.Seed;
    public override int Epochs => _inner.Epochs;
    public override DeterminismOptions Determinism => _inner.Determinism;
    public override object Settings => _inner.Settings;

    protected internal override string? PrepareData(TrainingContext context) => _inner.PrepareData(context);

    protected internal override nn.Module CreateModel(TrainingContext context)
    {
        var model = _inner.CreateModel(context);
        if (perturb)
        {
            var lstm = (LSTM)model.named_modules().Single(m => m.name == "lstm").module;
            lstm.register_forward_hook((_, _, _, output) => (output.Item1 + 1e-4 * rand_like(output.Item1), output.Item2, output.Item3));
        }
        return model;
    }

    protected internal override optim.Optimizer CreateOptimizer(nn.Module model, TrainingContext context) => _inner.CreateOptimizer(model, context);

    protected internal override Metrics TrainEpoch(EpochContext context) => _inner.TrainEpoch(context);

    protected internal override FinalResult Finish(TrainingContext context) => _inner.Finish(context);

    protected override void Dispose(bool disposing)
    {
        if (disposing) _inner.Dispose();
    }
}
