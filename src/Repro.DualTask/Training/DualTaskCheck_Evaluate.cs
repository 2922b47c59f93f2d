using static TorchSharp.torch;

namespace Repro.DualTask;

public sealed partial class DualTaskCheck
{
    EvaluationRecord Evaluate(TrainingContext context, WindowSet set)
    {
        var model = _model!;
        if (set.Count == 0) return new EvaluationRecord(double.NaN, double.NaN, double.NaN, 0);
        model.eval();
        var rul = new float[set.Count];
        var health = new long[set.Count];
        var loader = new BatchLoader(set, new BatchLoaderOptions { BatchSize = Config.BatchSize, Shuffle = false, Workers = context.DataWorkers(Config.DataWorkers) });
        var offset = 0;
        using (no_grad())
        {
            foreach (var batch in loader.Epoch(Config.Seed, 0))
            {
                using var scope = NewDisposeScope();
                var inputs = tensor(batch.Inputs, [batch.Count, set.WindowLength, set.Channels]).to(context.Device);
                var (predictedRul, logits) = model.call(inputs);
                // A linear head's raw output can leave [0, cap]; the targets never do.
                if (Config.Model.RulHead == RulHeadKind.Linear) predictedRul = predictedRul.to(ScalarType.Float32).clamp(0, Config.Data.Preprocessing.RulCap);
                predictedRul.to(ScalarType.Float32).cpu().data<float>().CopyTo(rul.AsSpan(offset));
                logits.argmax(1).cpu().data<long>().CopyTo(health.AsSpan(offset));
                offset += batch.Count;
            }
        }
        model.train();
        return new EvaluationRecord(
            RulMetrics.Rmse(rul, set.Rul), RulMetrics.NasaScore(rul, set.Rul), RulMetrics.Accuracy(health, set.Health), set.Units.Distinct().Count());
    }
}

/// <summary>RMSE, NASA score and health accuracy on the last window of each unit.</summary>
public sealed record EvaluationRecord(double Rmse, double NasaScore, double Accuracy, int Units);
