using static TorchSharp.torch;

namespace Repro;

internal sealed partial class TrainingSession
{
    (double Total, double Rul, double Health, string OrderHash) TrainEpoch(
        DualTaskModel model, WindowSet train, int epoch, ReproAdamW optimizer, ExponentialMovingAverage? ema, MixedPrecisionShadow? mixed)
    {
        model.train();
        var order = FaultInjection.EpochOrder(_config.Fault, EpochOrder.Permutation(_config.Seed, epoch, train.Count));
        var loader = new BatchLoader(train, new BatchLoaderOptions { BatchSize = _config.BatchSize, Workers = _config.DataWorkers });
        var batchCount = loader.BatchCount;
        // Loss sums stay on the device: one synchronisation per epoch instead of one per step.
        using var sums = zeros(3, dtype: ScalarType.Float64, device: _device);
        var accumulation = _config.GradientAccumulationSteps;
        var batchIndex = 0;
        _batchesInEpoch = batchCount;
        foreach (var batch in loader.Epoch(order, _config.Seed, epoch))
        {
            using var scope = NewDisposeScope();
            _step++;
#if REPRO_TRACE_HOOKS
            _observer?.OnBatch(epoch, _step, batch.Samples);
#endif
#if REPRO_TRACE_HOOKS
            FaultInjection.PrepareBatch(_config.Fault, batch.Inputs);
#endif
            var inputs = tensor(batch.Inputs, [batch.Count, train.WindowLength, train.Channels]).to(_device);
            var rulTarget = tensor(batch.Rul, [batch.Count]).to(_device);
            var healthTarget = tensor(batch.Health, [batch.Count]).to(_device);

            var forwardModel = mixed?.Prepare() ?? model;
#if REPRO_TRACE_HOOKS
            forwardModel.Trace = _observer?.ForwardTrace;
#endif
            var (rul, health) = forwardModel.call(mixed is null ? inputs : inputs.to(ScalarType.BFloat16));
#if REPRO_TRACE_HOOKS
            forwardModel.Trace = null;
#endif
            var (total, rulLoss, healthLoss) = AmnlLoss.Compute(rul.to(ScalarType.Float32), rulTarget, health.to(ScalarType.Float32), healthTarget);
            (accumulation == 1 ? total : total / accumulation).backward();

            using (no_grad())
            {
                sums.add_(stack([total.detach(), rulLoss.detach(), healthLoss.detach()]).to(ScalarType.Float64) * batch.Count);
            }
            batchIndex++;
            _progress?.Report(new TrainingProgress(epoch, _config.Epochs, batchIndex, batchCount, null));
            if (batchIndex % accumulation != 0 && batchIndex != batchCount) continue;
            mixed?.CopyGradientsToMaster();
#if REPRO_TRACE_HOOKS
            if (_observer is not null) _observer.OnGradients(_step, Gradients(model));
#endif
            optimizer.Step();
            optimizer.ZeroGrad();
            mixed?.ZeroGrad();
            ema?.Update();
#if REPRO_TRACE_HOOKS
            if (_observer is not null) _observer.OnUpdate(_step, [.. model.named_parameters().Select(p => (p.name, (Tensor)p.parameter))]);
#endif
        }
        var means = sums.cpu().data<double>().ToArray();
        // The AMNL total is 1 by construction (each task divided by its own value); report the
        // unnormalised sum, which moves when either task's loss moves.
        var rulMean = means[1] / train.Count;
        var healthMean = means[2] / train.Count;
        return (rulMean + healthMean, rulMean, healthMean, TensorHasher.HashInts(order));
    }

    static IReadOnlyList<(string, Tensor)> Gradients(DualTaskModel model) =>
        [.. model.named_parameters().Where(p => p.parameter.grad is not null).Select(p => (p.name, p.parameter.grad!))];
}
