namespace Repro;

/// <summary>Trains the DualTask model from a <see cref="TrainingConfig"/> and fingerprints the result.</summary>
public static class Trainer
{
    /// <summary>Trains and returns only the fingerprint.</summary>
    public static TrainingFingerprint Train(TrainingConfig config, ITrainingObserver? observer = null, IProgress<TrainingProgress>? progress = null)
    {
        using var run = Run(config, observer, progress);
        return run.Fingerprint;
    }

    /// <summary>Trains and keeps the model; dispose the result when done.</summary>
    public static TrainingRun Run(TrainingConfig config, ITrainingObserver? observer = null, IProgress<TrainingProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        Determinism.Apply(FaultInjection.Determinism(config.Fault, config.Determinism with { Seed = config.Seed }));
        var runtime = NativeRuntime.EnsureInitialized();
        if (config.MixedPrecision && !runtime.IsCuda)
            throw new ReproException("TrainingConfig.MixedPrecision needs CUDA (bf16 compute); this run is on CPU. Turn it off or run on a GPU machine.");
        using var guard = TrainingGuard.Enter(config.Name);
        FaultInjection.TrainingStarted(config);
        var session = new TrainingSession(config, runtime, observer, progress);
        return session.Run();
    }

    /// <summary>The seed torch's generators get after the model is initialised (exported for the PyTorch replay).</summary>
    public static long TrainingSeed(long seed) => (long)(RandomStreams.DeriveSeed(seed, "torch-training") >> 1);
}
