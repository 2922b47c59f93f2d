using System.Text.Json;

namespace Repro.Advanced;

/// <summary>
/// Trains a <see cref="TrainingCheck"/> under Repro's guarantees and fingerprints the result: the one
/// loop every route (xunit, <c>repro</c>, the doctor) goes through.
/// </summary>
public static class TrainingHarness
{
    /// <summary>Trains the check, disposes it, and returns its environment, settings and fingerprint.</summary>
    /// <exception cref="ReproException">
    /// The check or its settings are invalid (one line naming the problem and the fix), or libtorch refused an
    /// operation or memory ran out (saying what the harness was doing: creating the model, training epoch N, ...).
    /// An exception the check's own code throws reaches the caller unchanged.
    /// </exception>
    public static TrainedRun Train(TrainingCheck check, IProgress<TrainingProgress>? progress = null)
    {
        using var result = Run(check, progress);
        return result.Run;
    }

    /// <summary>Trains the check and keeps the trained model (for export or inspection); dispose the result.</summary>
    public static TrainingResult Run(TrainingCheck check, IProgress<TrainingProgress>? progress = null) => Run(check, observer: null, progress);

    /// <summary>
    /// Trains the check with checkpoints (written on the schedule of <paramref name="checkpoints"/>, or resumed
    /// from <see cref="CheckpointOptions.ResumeFrom"/>), disposes it, and returns the run: a resumed run's
    /// fingerprint is the uninterrupted run's. Throws <see cref="TrainingStoppedException"/> where
    /// <see cref="CheckpointOptions.StopAfter"/> stops it.
    /// </summary>
    public static TrainedRun Train(TrainingCheck check, CheckpointOptions checkpoints, IProgress<TrainingProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(checkpoints);
        using var result = Run(check, null, progress, checkpoints);
        return result.Run;
    }

    /// <summary>As <see cref="Train(TrainingCheck, CheckpointOptions, IProgress{TrainingProgress})"/>, keeping the trained model; dispose the result.</summary>
    public static TrainingResult Run(TrainingCheck check, CheckpointOptions checkpoints, IProgress<TrainingProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(checkpoints);
        return Run(check, null, progress, checkpoints);
    }

    internal static TrainingResult Run(TrainingCheck check, ITrainingObserver? observer, IProgress<TrainingProgress>? progress, CheckpointOptions? checkpoints = null, ICommunicator? communicator = null)
    {
        ArgumentNullException.ThrowIfNull(check);
        try
        {
            CheckValidation.Validate(check);
            checkpoints?.Validate(check);
            check.MarkStarted();
            Determinism.Apply(check.Determinism with { Seed = check.Seed });
            var runtime = NativeRuntime.EnsureInitialized();
            var environment = EnvironmentFingerprint.Capture();
            var settings = SettingsJson.Of(check);
            // One writer per checkpoint folder: two runs there would replace and prune each other's checkpoints.
            using var folderLock = checkpoints?.Directory is { } checkpointDirectory ? FolderLock.Acquire(Path.GetFullPath(checkpointDirectory), "a training with checkpoints") : null;
            var resume = checkpoints is null ? null : CheckpointSession.Open(checkpoints, check, runtime, environment, settings);
            using var guard = TrainingGuard.Enter(check.Name);
            var context = new TrainingContext(check, runtime, observer, progress);
            var runner = new CheckRunner(check, context, checkpoints, resume, communicator);
            try
            {
                return runner.Run(environment, settings);
            }
            catch (Exception ex) when (NativeFailure.Describe(ex) is { } failure)
            {
                throw new ReproException($"{failure} while {runner.Phase} of check '{check.Name}'. {NativeFailure.Advice(ex)}", ex);
            }
        }
        catch
        {
            check.Dispose();
            throw;
        }
    }

    /// <summary>The seed torch's generators get after the model is initialised (the PyTorch replay uses it too).</summary>
    public static long TrainingSeed(long seed) => (long)(RandomStreams.DeriveSeed(seed, "torch-training") >> 1);

    /// <summary>The settings of a check as stored in its baseline, and their hash.</summary>
    public static (JsonElement Settings, string Hash) DescribeSettings(TrainingCheck check)
    {
        ArgumentNullException.ThrowIfNull(check);
        var settings = SettingsJson.Of(check);
        return (settings, SettingsJson.Hash(settings));
    }
}
