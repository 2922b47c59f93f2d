namespace Repro.Advanced;

/// <summary>
/// Where and when <see cref="TrainingHarness"/> writes checkpoints, and the checkpoint to resume from.
/// A checkpoint holds everything the rest of the run depends on (model parameters, buffers and
/// gradients, the optimizer state, the check's own state through <see cref="TrainingCheck.SaveState"/>,
/// the epoch and step counters, the metrics so far, torch's CPU and CUDA generator states and the
/// position in the epoch), so a resumed run gives the fingerprint of an uninterrupted one, bit for bit.
/// Format: docs/checkpoints.md.
/// </summary>
public sealed record CheckpointOptions
{
    /// <summary>Folder the checkpoints are written to (one sub-folder each); null writes none.</summary>
    public string? Directory { get; init; }

    /// <summary>Write a checkpoint at the end of every N-th epoch; 0 for none.</summary>
    public int EveryEpochs { get; init; }

    /// <summary>Write a checkpoint after every N-th training step (counted over the whole run); 0 for none.</summary>
    public long EverySteps { get; init; }

    /// <summary>Complete checkpoints kept in <see cref="Directory"/>; older ones are deleted after a newer one is written.</summary>
    public int Keep { get; init; } = 2;

    /// <summary>
    /// Write a checkpoint at this position and stop there with <see cref="TrainingStoppedException"/>: a run
    /// split across jobs, or a pre-emption drill. Null trains to the end.
    /// </summary>
    public CheckpointPosition? StopAfter { get; init; }

    /// <summary>
    /// Resume from this checkpoint: a checkpoint folder, or a folder of checkpoints (the latest complete one
    /// is used). Null starts from scratch.
    /// </summary>
    public string? ResumeFrom { get; init; }

    internal bool Writes => Directory is not null;

    internal void Validate(TrainingCheck check)
    {
        if (Directory is { } directory && string.IsNullOrWhiteSpace(directory))
            throw new ReproException("CheckpointOptions.Directory is empty; give a folder for the checkpoints, or null to write none.");
        if (EveryEpochs < 0) throw new ReproException($"CheckpointOptions.EveryEpochs={EveryEpochs} must be 0 (none) or a positive epoch count.");
        if (EverySteps < 0) throw new ReproException($"CheckpointOptions.EverySteps={EverySteps} must be 0 (none) or a positive step count.");
        if (Keep < 1) throw new ReproException($"CheckpointOptions.Keep={Keep} must be at least 1: the newest checkpoint is what a resume needs.");
        if ((EveryEpochs > 0 || EverySteps > 0 || StopAfter is not null) && Directory is null)
            throw new ReproException("Checkpoints were requested (EveryEpochs, EverySteps or StopAfter) but CheckpointOptions.Directory is not set; " +
                "say where to write them (repro run --checkpoint-dir DIR).");
        if (StopAfter is { } stop && stop.Epoch > check.Epochs)
            throw new ReproException($"StopAfter {stop.Describe()} lies beyond the {check.Epochs} epochs the check '{check.Name}' trains; stop at epoch {check.Epochs} or earlier.");
        if (ResumeFrom is { } resume && !System.IO.Directory.Exists(resume))
            throw new ReproException($"Cannot resume from {resume}: no such folder. Pass a checkpoint folder or the folder the checkpoints were written to (repro run --checkpoint-dir).");
    }
}
