using TorchSharp;
using static TorchSharp.torch;

namespace QuickStart;

// A deliberate per-process fault, the way a project writes it without noticing: the feature columns are
// laid out in string-hash order, which .NET randomises per process (as PYTHONHASHSEED does for Python).
// Every run in one process is identical; a run in another process trains on other columns.
public sealed class HashOrderCheck : TrainingCheck
{
    const int Rows = 128, BatchSize = 16;
    static readonly string[] Features = ["speed", "load", "heat", "wear", "flow", "noise", "torque", "drift"];
    Tensor _inputs = null!, _targets = null!;
    nn.Module<Tensor, Tensor> _model = null!;

    public override int Epochs => 2;

    protected override string? PrepareData(TrainingContext context)
    {
        var random = context.Random("rows");
        var values = new float[Rows * Features.Length];
        for (var i = 0; i < values.Length; i++) values[i] = (float)random.NextGaussian();
        var columns = Features.OrderBy(f => f.GetHashCode()).Select(f => Array.IndexOf(Features, f)).ToArray();
        var laidOut = new float[values.Length];
        var targets = new float[Rows];
        for (var r = 0; r < Rows; r++)
            for (var c = 0; c < Features.Length; c++)
            {
                laidOut[r * Features.Length + c] = values[r * Features.Length + columns[c]];
                targets[r] += (c + 1) * values[r * Features.Length + c];
            }
        _inputs = tensor(laidOut, [Rows, Features.Length]);
        _targets = tensor(targets, [Rows, 1]);
        return null;
    }

    protected override nn.Module CreateModel(TrainingContext context) => _model = nn.Linear(Features.Length, 1);

    protected override optim.Optimizer CreateOptimizer(nn.Module model, TrainingContext context) => optim.SGD(model.parameters(), 0.01);

    protected override Metrics TrainEpoch(EpochContext context)
    {
        var sums = context.Sums("loss");
        foreach (var batch in context.Batches(Rows, BatchSize))
        {
            using var scope = NewDisposeScope();
            var index = tensor(batch.ToArray());
            var loss = nn.functional.mse_loss(_model.call(_inputs.index_select(0, index)), _targets.index_select(0, index));
            loss.backward();
            context.Update();
            sums.Add(stack([loss.detach() * batch.Count]));
        }
        return new Metrics { ["loss"] = sums.Totals()["loss"] / Rows };
    }

    protected override void Dispose(bool disposing)
    {
        _inputs?.Dispose();
        _targets?.Dispose();
    }
}
