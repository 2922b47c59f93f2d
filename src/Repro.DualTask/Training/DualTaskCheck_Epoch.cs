using Repro.Advanced;
using static TorchSharp.torch;

namespace Repro.DualTask;

public sealed partial class DualTaskCheck
{
    /// <inheritdoc />
    protected override Metrics TrainEpoch(EpochContext context)
    {
        var (total, rul, health) = TrainOneEpoch(context);
        EvaluationRecord validation;
        using (_ema?.Apply())
        {
            validation = Evaluate(context.Training, _data!.Validation);
            _best.Offer(context.Epoch, validation.Rmse, _model!);
        }
        if (Config.EarlyStoppingPatience is { } patience && context.Epoch - _best.Epoch >= patience) context.StopTraining();
        return new Metrics
        {
            ["totalLoss"] = total,
            ["rulLoss"] = rul,
            ["healthLoss"] = health,
            ["validationRmse"] = validation.Rmse,
            ["validationNasaScore"] = validation.NasaScore,
            ["validationAccuracy"] = validation.Accuracy,
        };
    }

    (double Total, double Rul, double Health) TrainOneEpoch(EpochContext context)
    {
        var model = _model!;
        var train = _data!.Train;
        var device = context.Training.Device;
        model.train();
        var order = context.Order(train.Count);
        var loader = new BatchLoader(train, new BatchLoaderOptions { BatchSize = Config.BatchSize, Workers = context.Training.DataWorkers(Config.DataWorkers) });
        var batchCount = loader.BatchCount;
        // Loss sums stay on the device: one synchronisation per epoch instead of one per step. The
        // harness keeps them in a mid-epoch checkpoint.
        var sums = context.Sums("total", "rul", "health");
        var accumulation = Config.GradientAccumulationSteps;
        foreach (var batch in context.Steps(loader.Epoch(order, Config.Seed, context.Epoch), b => b.Samples))
        {
            using var scope = NewDisposeScope();
            var inputs = tensor(batch.Inputs, [batch.Count, train.WindowLength, train.Channels]).to(device);
            var rulTarget = tensor(batch.Rul, [batch.Count]).to(device);
            var healthTarget = tensor(batch.Health, [batch.Count]).to(device);

            var losses = _step!.Run(inputs, rulTarget, healthTarget);
            Tensor total = losses[0], rulLoss = losses[1], healthLoss = losses[2];

            using (no_grad())
            {
                sums.Add(stack([total.detach(), rulLoss.detach(), healthLoss.detach()]).to(ScalarType.Float64) * batch.Count);
            }
            // Counts the steps a resumed run left out too, so accumulation groups the same batches.
            var batchIndex = context.StepInEpoch;
            context.ReportBatch(batchIndex, batchCount);
            if (batchIndex % accumulation != 0 && batchIndex != batchCount) continue;
            _mixed?.CopyGradientsToMaster();
            context.Update();
            _mixed?.ZeroGrad();
            _ema?.Update();
        }
        var totals = sums.Totals();
        // The AMNL total is 1 by construction (each task divided by its own value); report the
        // unnormalised sum, which moves when either task's loss moves.
        var rulMean = totals["rul"] / train.Count;
        var healthMean = totals["health"] / train.Count;
        return (rulMean + healthMean, rulMean, healthMean);
    }

    // Forward, AMNL loss and backward of one batch: the device work CapturedStep records once and
    // replays. Inputs: windows, RUL targets, health targets; outputs: total, RUL and health losses.
    IReadOnlyList<Tensor> ForwardBackward(IReadOnlyList<Tensor> batch, IForwardTrace? trace)
    {
        var forwardModel = _mixed?.Prepare() ?? _model!;
        forwardModel.Trace = trace;
        var (rul, health) = forwardModel.call(_mixed is null ? batch[0] : batch[0].to(ScalarType.BFloat16));
        forwardModel.Trace = null;
        var (total, rulLoss, healthLoss) = AmnlLoss.Compute(rul.to(ScalarType.Float32), batch[1], health.to(ScalarType.Float32), batch[2]);
        var accumulation = Config.GradientAccumulationSteps;
        (accumulation == 1 ? total : total / accumulation).backward();
        return [total, rulLoss, healthLoss];
    }
}
