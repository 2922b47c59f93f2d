using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace Repro;

// One training run's state; the epoch loop, evaluation and fingerprinting live in partial files.
internal sealed partial class TrainingSession
{
    readonly TrainingConfig _config;
    readonly NativeRuntimeInfo _runtime;
    readonly ITrainingObserver? _observer;
    readonly IProgress<TrainingProgress>? _progress;
    readonly Device _device;
    long _step;
    int _batchesInEpoch;

    internal TrainingSession(TrainingConfig config, NativeRuntimeInfo runtime, ITrainingObserver? observer, IProgress<TrainingProgress>? progress)
    {
        _config = config;
        _runtime = runtime;
        _observer = observer;
        _progress = progress;
        _device = runtime.IsCuda ? CUDA : CPU;
    }

    internal TrainingRun Run()
    {
        var data = CmapssPreprocessing.Prepare(FaultInjection.Dataset(_config.Fault, _config.Data.Load(_config.Seed)), _config.Data.Preprocessing, _config.Seed);
        if (data.Train.Count == 0)
            throw new ReproException("The training set has no windows: the units are shorter than the window length. Use longer units or a shorter window.");

        // Initialise on the CPU generator so CPU and CUDA runs start from identical weights.
        Determinism.Reseed(_config.Seed);
        FaultInjection.BeforeModelInit(_config.Fault);
        var model = new DualTaskModel(_config.Model) { Fault = FaultInjection.ModelFault(_config.Fault) };
        var initialHash = ModelHash(model);
        model.to(_device);
        Determinism.Reseed(Trainer.TrainingSeed(_config.Seed));

        var parameters = model.named_parameters().Select(p => (p.name, p.parameter)).ToArray();
        using var optimizer = new ReproAdamW(parameters, _config.LearningRate, _config.WeightDecay);
        using var ema = _config.EmaDecay is { } decay ? new ExponentialMovingAverage(parameters.Select(p => p.parameter), decay) : null;
        using var mixed = _config.MixedPrecision ? new MixedPrecisionShadow(model) : null;

        var epochs = new List<EpochRecord>();
        var best = new BestWeights();
        try
        {
            for (var epoch = 1; epoch <= _config.Epochs; epoch++)
            {
                var (total, rul, health, orderHash) = TrainEpoch(model, data.Train, epoch, optimizer, ema, mixed);
                EvaluationRecord validation;
                using (ema?.Apply())
                {
                    validation = Evaluate(model, data.Validation);
                    best.Offer(epoch, validation.Rmse, model);
                }
                var record = new EpochRecord(epoch, total, rul, health, validation.Rmse, validation.NasaScore, validation.Accuracy, orderHash);
                epochs.Add(record);
                _progress?.Report(new TrainingProgress(epoch, _config.Epochs, _batchesInEpoch, _batchesInEpoch, record));
                if (_config.EarlyStoppingPatience is { } patience && epoch - best.Epoch >= patience) break;
            }
            // Early stopping restores the best (EMA-evaluated) weights; without it the final EMA weights are the result.
            if (_config.EarlyStoppingPatience is not null) best.Restore(model);
            else ema?.Apply();

            var test = Evaluate(model, data.Test);
            var (tensors, modelHash) = Fingerprint(model);
            var fingerprint = new TrainingFingerprint
            {
                Name = _config.Name,
                Device = _runtime.Device,
                ConfigHash = ConfigHash(_config),
                ConfiguredEpochs = _config.Epochs,
                DataHash = data.ContentHash(),
                InitialModelHash = initialHash,
                Epochs = epochs,
                Tensors = tensors,
                ModelHash = modelHash,
                OptimizerStateHash = OptimizerHash(optimizer),
                OptimizerSteps = optimizer.Steps,
                BestEpoch = _config.EarlyStoppingPatience is null ? null : best.Epoch,
                Test = test,
            };
            return new TrainingRun(fingerprint, model, data);
        }
        catch
        {
            model.Dispose();
            throw;
        }
        finally
        {
            best.Dispose();
        }
    }

    internal static string ConfigHash(TrainingConfig config) =>
        TensorHasher.HashBytes(JsonSerializer.SerializeToUtf8Bytes(config, ReproJson.Options));
}
