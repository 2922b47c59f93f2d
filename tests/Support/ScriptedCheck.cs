using static TorchSharp.torch;

namespace Repro.Tests.Support;

/// <summary>What a generated check does: each way a user's TrainingCheck can be wrong, or right.</summary>
internal sealed record CheckScript
{
    internal string Name { get; init; } = "scripted";
    internal int Epochs { get; init; } = 2;
    internal bool NullDeterminism { get; init; }
    internal bool NullComparison { get; init; }
    internal bool NullSettings { get; init; }
    internal bool UnserialisableSettings { get; init; }
    internal ModelKind Model { get; init; } = ModelKind.Linear;
    internal bool NullOptimizer { get; init; }
    /// <summary>Per epoch: metric names and values (NaN and infinities included); a null entry returns null metrics.</summary>
    internal (string Name, double Value)[]?[] EpochMetrics { get; init; } = [[("loss", 1)], [("loss", 0.5)]];
    internal double FinalMetric { get; init; } = 0.25;
    internal int? BestEpoch { get; init; }
    internal bool NullEvaluationValue { get; init; }
    internal bool ThrowInTrainEpoch { get; init; }
    internal bool ShapeErrorInTrainEpoch { get; init; }

    public override string ToString() =>
        $"Name={Name} Epochs={Epochs} NullDeterminism={NullDeterminism} NullSettings={NullSettings} UnserialisableSettings={UnserialisableSettings} Model={Model} NullOptimizer={NullOptimizer} " +
        $"Metrics=[{string.Join(" | ", EpochMetrics.Select(e => e is null ? "null" : string.Join(",", e.Select(m => $"{m.Name}={m.Value}"))))}] Final={FinalMetric} Best={BestEpoch} NullEvaluation={NullEvaluationValue} Throw={ThrowInTrainEpoch} ShapeError={ShapeErrorInTrainEpoch}";
}

internal enum ModelKind { Linear, NoParameters, Null }

// A TrainingCheck that follows a script; one instance trains once, like any check.
internal sealed class ScriptedCheck(CheckScript script) : TrainingCheck
{
    public override string Name => script.Name;

    public override int Epochs => script.Epochs;

    public override DeterminismOptions Determinism => script.NullDeterminism ? null! : new DeterminismOptions();

    public override ComparisonOptions Comparison => script.NullComparison ? null! : ComparisonOptions.Exact;

    public override object Settings => script.NullSettings ? null! : script.UnserialisableSettings ? new { Pointer = (IntPtr)1, Self = typeof(ScriptedCheck) } : new { script.Name, script.Epochs };

    protected internal override nn.Module CreateModel(TrainingContext context) => script.Model switch
    {
        ModelKind.Linear => nn.Linear(4, 1),
        ModelKind.NoParameters => nn.ReLU(),
        _ => null!,
    };

    protected internal override optim.Optimizer CreateOptimizer(nn.Module model, TrainingContext context) =>
        script.NullOptimizer ? null! : optim.SGD(model.parameters(), 0.01);

    protected internal override Metrics TrainEpoch(EpochContext context)
    {
        if (script.ThrowInTrainEpoch) throw new InvalidOperationException("the check's own bug");
        using var scope = NewDisposeScope();
        var model = (nn.Module<Tensor, Tensor>)context.Training.Model;
        var inputs = randn(8, script.ShapeErrorInTrainEpoch ? 5 : 4);
        foreach (var _ in context.Batches(8, 8))
        {
            model.call(inputs).sum().backward();
            context.Update();
        }
        var plan = script.EpochMetrics[Math.Min(context.Epoch - 1, script.EpochMetrics.Length - 1)];
        return plan is null ? null! : Metrics.From(plan.Select(m => KeyValuePair.Create(m.Name, m.Value)));
    }

    protected internal override FinalResult Finish(TrainingContext context) => new()
    {
        Metrics = new Metrics { ["final"] = script.FinalMetric },
        BestEpoch = script.BestEpoch,
        Evaluation = script.NullEvaluationValue ? new Dictionary<string, object> { ["test"] = null! } : null,
    };
}
