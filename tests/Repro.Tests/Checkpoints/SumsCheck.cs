using TorchSharp;
using Repro.Tests.Doctor;
using static TorchSharp.torch;

namespace Repro.Tests.Checkpoints;

/// <summary>
/// A check written as the quick start is: its steps come from context.Batches (no Step call, no
/// skip test), its running sums from context.Sums, and it has no SaveState at all, so whatever a
/// mid-epoch resume needs is the harness's. Dropout makes every step draw from the generator, and
/// <see cref="Accumulation"/> groups batches by <see cref="EpochContext.StepInEpoch"/> as DualTask does.
/// </summary>
internal class SumsCheck : TrainingCheck
{
    const int Count = 120, Features = 6, Classes = 3, BatchSize = 16;
    Tensor? _inputs, _labels;

    public override int Epochs => 3;

    /// <summary>Batches per optimizer update.</summary>
    public virtual int Accumulation => 1;

    public override object Settings => new { Name, Seed, Epochs, BatchSize, Accumulation };

    /// <summary>(epoch, <see cref="EpochContext.StepInEpoch"/>) of every step this run trained, in order.</summary>
    public List<(int Epoch, int Step)> Trained { get; } = [];

    /// <summary><see cref="EpochContext.SkippedSteps"/> of every epoch this run trained.</summary>
    public List<int> Skipped { get; } = [];

    protected internal override string PrepareData(TrainingContext context)
    {
        var random = context.Random("sums-check");
        var inputs = new float[Count * Features];
        var labels = new long[Count];
        for (var i = 0; i < Count; i++)
        {
            labels[i] = random.Next(Classes);
            for (var f = 0; f < Features; f++) inputs[i * Features + f] = (float)(random.NextGaussian() + (f % Classes == labels[i] ? 0.8 : 0.0));
        }
        _inputs = tensor(inputs, [Count, Features]).to(context.Device).DetachFromDisposeScope();
        _labels = tensor(labels).to(context.Device).DetachFromDisposeScope();
        var hash = new ContentHasher();
        hash.Add(inputs);
        hash.Add(labels);
        return hash.Finish();
    }

    protected internal override nn.Module CreateModel(TrainingContext context) => nn.Sequential(
        ("fc1", nn.Linear(Features, 16)), ("relu", nn.ReLU()), ("drop", nn.Dropout(0.2)), ("fc2", nn.Linear(16, Classes)));

    protected internal override optim.Optimizer CreateOptimizer(nn.Module model, TrainingContext context) => optim.Adam(model.parameters(), 0.01);

    protected internal override Metrics TrainEpoch(EpochContext context)
    {
        var model = (nn.Module<Tensor, Tensor>)context.Training.Model;
        model.train();
        Skipped.Add(context.SkippedSteps);
        var batches = (Count + BatchSize - 1) / BatchSize;
        var sums = StartSums(context);
        foreach (var batch in context.Batches(Count, BatchSize))
        {
            using var scope = NewDisposeScope();
            Trained.Add((context.Epoch, context.StepInEpoch));
            var index = tensor(batch.ToArray(), device: context.Training.Device);
            var labels = _labels!.index_select(0, index);
            var logits = model.call(_inputs!.index_select(0, index));
            var loss = nn.functional.cross_entropy(logits, labels);
            (Accumulation == 1 ? loss : loss / Accumulation).backward();
            if (context.StepInEpoch % Accumulation == 0 || context.StepInEpoch == batches) context.Update();
            AddToSums(sums, stack([loss.detach() * batch.Count, logits.argmax(1).eq(labels).sum()]));
        }
        var totals = Totals(sums);
        return new Metrics { ["loss"] = totals[0] / Count, ["accuracy"] = totals[1] / Count };
    }

    // The harness's sums; the control check below keeps its own instead.
    protected virtual object StartSums(EpochContext context) => context.Sums("loss", "correct");

    protected virtual void AddToSums(object sums, Tensor values) => ((EpochSums)sums).Add(values);

    protected virtual double[] Totals(object sums)
    {
        var totals = ((EpochSums)sums).Totals();
        return [totals["loss"], totals["correct"]];
    }

    protected override void Dispose(bool disposing)
    {
        if (!disposing) return;
        _inputs?.Dispose();
        _labels?.Dispose();
    }
}

/// <summary>
/// The control: the same training and numbers, but the sums are a tensor of the check's own, added with
/// the same ops (<c>add_(values.to(float64))</c>) and not saved, as a check had to save them by hand before
/// the harness kept them. A mid-epoch resume loses the steps before the checkpoint from them.
/// </summary>
internal sealed class OwnSumsCheck : SumsCheck
{
    public override string Name => nameof(SumsCheck);

    protected override object StartSums(EpochContext context) =>
        zeros(2, dtype: ScalarType.Float64, device: context.Training.Device).DetachFromDisposeScope();

    protected override void AddToSums(object sums, Tensor values)
    {
        using var noGrad = no_grad();
        ((Tensor)sums).add_(values.to(ScalarType.Float64));
    }

    protected override double[] Totals(object sums)
    {
        using var own = (Tensor)sums;
        return own.cpu().data<double>().ToArray();
    }
}

/// <summary>Four batches per update, so a checkpoint can fall inside a group of accumulated gradients.</summary>
internal sealed class AccumulatingSumsCheck : SumsCheck
{
    public override string Name => nameof(AccumulatingSumsCheck);

    public override int Accumulation => 4;
}
