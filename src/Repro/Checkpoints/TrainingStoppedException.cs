namespace Repro.Advanced;

/// <summary>
/// Training stopped where <see cref="CheckpointOptions.StopAfter"/> asked, after writing the checkpoint
/// <see cref="Checkpoint"/>; resume it with <see cref="CheckpointOptions.ResumeFrom"/>. Not an error.
/// </summary>
public sealed class TrainingStoppedException : OperationCanceledException
{
    internal TrainingStoppedException(string check, CheckpointPosition position, string checkpoint)
        : base($"Training of '{check}' stopped at {position.Describe()}; checkpoint {checkpoint}.")
    {
        Position = position;
        Checkpoint = checkpoint;
    }

    /// <summary>Where training stopped.</summary>
    public CheckpointPosition Position { get; }

    /// <summary>The folder of the checkpoint written there.</summary>
    public string Checkpoint { get; }
}
