using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Repro.Tests.Support.UserChecks;

// A user's check of another model family than DualTask, written only against Repro's public API:
// an MLP with BatchNorm and dropout on generated data, trained with TorchSharp's own Adam.
// Jitter (off by default) stands for an operation that is not deterministic between trainings.
// Public with a parameterless constructor so that the CLI can load it (--assembly, --check).
public sealed class TinyMlpCheck : TrainingCheck
{
    const int Samples = 96;
    const int BatchSize = 32;
    Tensor? _inputs;
    Tensor? _targets;
    readonly Func<bool>? _jitter;

    public TinyMlpCheck() { }

    internal TinyMlpCheck(Func<bool> jitter) => _jitter = jitter;

    public override int Epochs => 2;

    protected internal override string? PrepareData(TrainingContext context)
    {
        var random = context.Random("data");
        var x = new float[Samples * 4];
        for (var i = 0; i < x.Length; i++) x[i] = (float)(random.NextDouble() * 2 - 1);
        var y = new float[Samples];
        for (var i = 0; i < Samples; i++) y[i] = x[i * 4] * 0.5f - x[i * 4 + 1] + 0.25f * x[i * 4 + 2] * x[i * 4 + 3];
        _inputs = tensor(x, [Samples, 4]).to(context.Device);
        _targets = tensor(y, [Samples, 1]).to(context.Device);
        var hasher = new ContentHasher();
        hasher.Add(x);
        hasher.Add(y);
        return hasher.Finish();
    }

    protected internal override Module CreateModel(TrainingContext context) => new Mlp(_jitter?.Invoke() ?? false);

    protected internal override optim.Optimizer CreateOptimizer(Module model, TrainingContext context) => optim.Adam(model.parameters(), 0.01);

    protected internal override Metrics TrainEpoch(EpochContext context)
    {
        var model = (Mlp)context.Training.Model;
        model.train();
        var total = 0.0;
        foreach (var batch in context.Batches(Samples, BatchSize))
        {
            using var scope = NewDisposeScope();
            var index = tensor(batch.ToArray(), dtype: ScalarType.Int64, device: context.Training.Device);
            var loss = functional.mse_loss(model.call(_inputs!.index_select(0, index)), _targets!.index_select(0, index));
            loss.backward();
            context.Update();
            total += loss.item<float>();
        }
        return new Metrics { ["loss"] = total / (Samples / BatchSize) };
    }

    protected override void Dispose(bool disposing)
    {
        _inputs?.Dispose();
        _targets?.Dispose();
    }

    sealed class Mlp : Module<Tensor, Tensor>
    {
        readonly Sequential block;
        readonly Linear head;

        public Mlp(bool jitter) : base(nameof(Mlp))
        {
            block = Sequential(("fc", Linear(4, 16)), ("norm", BatchNorm1d(16)), ("act", ReLU()), ("jitter", new Jitter(jitter)), ("drop", Dropout(0.1)));
            head = Linear(16, 1);
            RegisterComponents();
        }

        public override Tensor forward(Tensor input) => head.call(block.call(input));
    }

    sealed class Jitter(bool on) : Module<Tensor, Tensor>(nameof(Jitter))
    {
        public override Tensor forward(Tensor input) => on ? input + 1e-4 : input.alias();
    }
}
