using TorchSharp;
using static TorchSharp.torch;

namespace Repro.Tests.Support.UserChecks;

// A user's check with a setting: a linear model on generated data, trained in milliseconds. Built by its
// parameterless constructor it has the default rate; a factory may build it with another.
public sealed class TunableCheck : TrainingCheck
{
    const int Rows = 32;
    Tensor _inputs = null!, _targets = null!;

    public double Rate { get; init; } = 0.05;

    public override int Epochs => 1;

    public override object Settings => new { Epochs, Rate };

    protected internal override string? PrepareData(TrainingContext context)
    {
        var random = context.Random("rows");
        var x = new float[Rows * 3];
        for (var i = 0; i < x.Length; i++) x[i] = (float)random.NextGaussian();
        _inputs = tensor(x, [Rows, 3]);
        _targets = _inputs.sum(1, keepdim: true);
        return null;
    }

    protected internal override nn.Module CreateModel(TrainingContext context) => nn.Linear(3, 1);

    protected internal override optim.Optimizer CreateOptimizer(nn.Module model, TrainingContext context) => optim.SGD(model.parameters(), Rate);

    protected internal override Metrics TrainEpoch(EpochContext context)
    {
        var model = (nn.Module<Tensor, Tensor>)context.Training.Model;
        var last = 0.0;
        foreach (var batch in context.Batches(Rows, 8))
        {
            using var scope = NewDisposeScope();
            var index = tensor(batch.ToArray());
            var loss = nn.functional.mse_loss(model.call(_inputs.index_select(0, index)), _targets.index_select(0, index));
            loss.backward();
            context.Update();
            last = loss.item<float>();
        }
        return new Metrics { ["loss"] = last };
    }

    protected override void Dispose(bool disposing)
    {
        _inputs?.Dispose();
        _targets?.Dispose();
    }
}
