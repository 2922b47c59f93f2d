using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Repro.Tests.Support.UserChecks;

// A user's check that declares a tolerance on its loss, once, on the check. Offset moves the reported
// loss without touching the settings or the weights, the way a last-bit change in a metric's
// reduction would; Exact switches the declaration off to show the tolerance is what lets it pass.
// Public with a parameterless constructor so that the CLI can load it (--assembly, --check).
public sealed class TolerantCheck : TrainingCheck
{
    internal const double Allowed = 1e-6;
    internal static double Offset { get; set; }
    internal static bool Exact { get; set; }

    const int Samples = 32;
    Tensor? _inputs;
    Tensor? _targets;

    public override int Epochs => 2;

    public override ComparisonOptions Comparison =>
        Exact ? ComparisonOptions.Exact : ComparisonOptions.Exact.With("loss", Tolerance.Abs(Allowed));

    protected internal override string? PrepareData(TrainingContext context)
    {
        var random = context.Random("data");
        var x = new float[Samples * 2];
        for (var i = 0; i < x.Length; i++) x[i] = (float)(random.NextDouble() * 2 - 1);
        var y = new float[Samples];
        for (var i = 0; i < Samples; i++) y[i] = x[i * 2] - 0.5f * x[i * 2 + 1];
        _inputs = tensor(x, [Samples, 2]).to(context.Device);
        _targets = tensor(y, [Samples, 1]).to(context.Device);
        var hasher = new ContentHasher();
        hasher.Add(x);
        hasher.Add(y);
        return hasher.Finish();
    }

    protected internal override Module CreateModel(TrainingContext context) => Linear(2, 1);

    protected internal override optim.Optimizer CreateOptimizer(Module model, TrainingContext context) => optim.SGD(model.parameters(), 0.1);

    protected internal override Metrics TrainEpoch(EpochContext context)
    {
        var model = (Module<Tensor, Tensor>)context.Training.Model;
        var total = 0.0;
        foreach (var batch in context.Batches(Samples, 8))
        {
            using var scope = NewDisposeScope();
            var index = tensor(batch.ToArray(), dtype: ScalarType.Int64, device: context.Training.Device);
            var loss = functional.mse_loss(model.call(_inputs!.index_select(0, index)), _targets!.index_select(0, index));
            loss.backward();
            context.Update();
            total += loss.item<float>();
        }
        return new Metrics { ["loss"] = total / 4 + Offset };
    }

    protected override void Dispose(bool disposing)
    {
        _inputs?.Dispose();
        _targets?.Dispose();
    }
}
