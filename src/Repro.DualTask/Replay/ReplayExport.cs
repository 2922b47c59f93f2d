using Repro.Baselines;
using Repro.Advanced;

namespace Repro.DualTask;

/// <summary>
/// Writes everything a PyTorch script needs to train the same model the same way, and what TorchSharp
/// got, so that people moving from PyTorch can see the two agree (interop/pytorch/replay.py):
/// <list type="bullet">
/// <item><c>config.json</c>: <see cref="ReplayManifest"/>, the config plus the derived training seed and batch orders;</item>
/// <item><c>data.safetensors</c>: train/validation/test inputs, rul, health and units;</item>
/// <item><c>initial.safetensors</c>: the initial state_dict, built exactly as the trainer builds it;</item>
/// <item><c>order.safetensors</c>: the int32 sample permutation of every epoch;</item>
/// <item><c>torchsharp.json</c>: <see cref="ReplayMetrics"/> of a TorchSharp training of the config.</item>
/// </list>
/// </summary>
public static class ReplayExport
{
    /// <summary>The <see cref="ReplayManifest.Format"/> marker.</summary>
    public const string Format = "repro-replay";
    /// <summary>The <see cref="ReplayManifest.FormatVersion"/> this code writes.</summary>
    public const int FormatVersion = 1;

    public const string ConfigFile = "config.json";
    public const string DataFile = "data.safetensors";
    public const string InitialFile = "initial.safetensors";
    public const string OrderFile = "order.safetensors";
    public const string TorchSharpFile = "torchsharp.json";

    /// <summary>Exports <paramref name="config"/> into <paramref name="directory"/> (created if needed), trains it, and returns the TorchSharp metrics.</summary>
    /// <exception cref="ReproException">The config cannot be replayed (invalid, or mixed precision) or the directory cannot be written.</exception>
    public static ReplayMetrics Write(DualTaskConfig config, string directory)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(directory);
        config.Validate();
        if (config.MixedPrecision)
            throw new ReproException("DualTaskConfig.MixedPrecision cannot be replayed: TorchSharp's bf16 shadow-model scheme has no PyTorch counterpart in interop/pytorch. " +
                "Export with MixedPrecision = false.");
        Directory.CreateDirectory(directory);

        Determinism.Apply(config.Determinism with { Seed = config.Seed });
        var runtime = NativeRuntime.EnsureInitialized();
        if (config.Model.BatchNorm == BatchNormKernel.Cudnn && !runtime.IsCuda)
            throw new ReproException("DualTaskConfig.Model.BatchNorm=cudnn needs CUDA, but this export would train on the CPU. Export with --device cuda on a GPU machine, or use \"batchNorm\": " +
                "\"module\".");
        var data = CmapssPreprocessing.Prepare(config.Data.Load(config.Seed), config.Data.Preprocessing, config.Seed);
        var (initial, initialHash) = InitialState(config);
        SafeTensors.Write(Path.Combine(directory, InitialFile), initial, new Dictionary<string, string> { ["format"] = "pt" });
        SafeTensors.Write(Path.Combine(directory, DataFile), DataTensors(data), new Dictionary<string, string> { ["dataHash"] = data.ContentHash() });

        var orders = Enumerable.Range(1, config.Epochs)
            .Select(epoch => (Epoch: epoch, Order: EpochOrder.Permutation(config.Seed, epoch, data.Train.Count)))
            .ToList();
        SafeTensors.Write(Path.Combine(directory, OrderFile),
            orders.Select(o => SafeTensor.Int32(OrderTensorName(o.Epoch), o.Order, o.Order.Length)));

        var manifest = new ReplayManifest(
            Format, FormatVersion, config, TrainingHarness.DescribeSettings(new DualTaskCheck(config)).Hash, TrainingHarness.TrainingSeed(config.Seed), runtime.Device,
            config.Epochs, initialHash, data.ContentHash(), [.. initial.Select(t => t.Name)],
            [.. orders.Select(o => new ReplayEpochOrder(o.Epoch, OrderTensorName(o.Epoch), EpochOrder.Hash(o.Order), o.Order))]);
        File.WriteAllText(Path.Combine(directory, ConfigFile), ReproJson.Serialize(manifest));

        var metrics = TrainWithTorchSharp(config, initialHash);
        File.WriteAllText(Path.Combine(directory, TorchSharpFile), ReproJson.Serialize(metrics));
        return metrics;
    }

    /// <summary>Name of an epoch's permutation in order.safetensors.</summary>
    public static string OrderTensorName(int epoch) => "epoch_" + epoch.ToString(System.Globalization.CultureInfo.InvariantCulture);

    // Exactly TrainingHarness's initialisation: seed, then construct on the CPU generator.
    static (IReadOnlyList<SafeTensor> State, string Hash) InitialState(DualTaskConfig config)
    {
        using var guard = TrainingGuard.Enter(config.Name + " (replay export: initial weights)");
        Determinism.Reseed(config.Seed);
        using var model = new DualTaskModel(config.Model);
        return (ReplayTensors.StateDict(model), ModelFingerprint.Hash(model));
    }

    static IEnumerable<SafeTensor> DataTensors(PreparedData data)
    {
        foreach (var (split, set) in new[] { ("train", data.Train), ("validation", data.Validation), ("test", data.Test) })
        {
            yield return SafeTensor.Float32(split + ".inputs", set.Inputs, set.Count, set.WindowLength, set.Channels);
            yield return SafeTensor.Float32(split + ".rul", set.Rul, set.Count);
            yield return SafeTensor.Int64(split + ".health", set.Health, set.Count);
            yield return SafeTensor.Int32(split + ".units", set.Units, set.Count);
        }
    }

    static ReplayMetrics TrainWithTorchSharp(DualTaskConfig config, string initialHash)
    {
        using var run = Trainer.Run(config);
        var fingerprint = run.Fingerprint;
        // The export is only useful if the replay starts where the trainer started.
        if (fingerprint.InitialModelHash != initialHash)
            throw new InvalidOperationException($"Exported initial weights ({initialHash}) differ from the trainer's ({fingerprint.InitialModelHash}): " +
                "ReplayExport no longer initialises the model as TrainingHarness does.");
        var environment = EnvironmentFingerprint.Capture();
        return new ReplayMetrics(
            "torchsharp",
            $"TorchSharp {environment.TorchSharpVersion} / libtorch {environment.LibTorchVersion}",
            fingerprint.Device,
            [.. fingerprint.Epochs.Select(e => new ReplayEpoch(e.Epoch, e.Metrics["totalLoss"], e.Metrics["rulLoss"], e.Metrics["healthLoss"], e.Metrics["validationRmse"], e.Metrics["validationNasaScore"], e.Metrics["validationAccuracy"]))],
            fingerprint.BestEpoch,
            fingerprint.OptimizerSteps,
            ((DualTaskCheck)run.Check).TestEvaluation!,
            ReplayTensors.Digests((DualTaskModel)run.Model));
    }
}
