using Repro.Baselines;
using Repro.Advanced;

namespace Repro.DualTask;

/// <summary>Shortcuts that train a <see cref="DualTaskConfig"/> through <see cref="TrainingHarness"/>.</summary>
public static class Trainer
{
    /// <summary>Trains and returns the fingerprint.</summary>
    public static TrainingFingerprint Train(DualTaskConfig config, IProgress<TrainingProgress>? progress = null) =>
        TrainRun(config, progress).Fingerprint;

    /// <summary>Trains and returns the settings, environment and fingerprint.</summary>
    public static TrainedRun TrainRun(DualTaskConfig config, IProgress<TrainingProgress>? progress = null) =>
        TrainingHarness.Train(new DualTaskCheck(config), progress);

    /// <summary>Trains and keeps the model and data; dispose the result when done.</summary>
    public static TrainingResult Run(DualTaskConfig config, IProgress<TrainingProgress>? progress = null) =>
        TrainingHarness.Run(new DualTaskCheck(config), progress);
}
