namespace Repro.Xunit;

public static partial class Baseline
{
    /// <summary>
    /// Interrupts and resumes: trains the check <paramref name="create"/> builds up to
    /// <paramref name="stopAfter"/> in this process (checkpointing there), resumes the checkpoint in a fresh
    /// process (<see cref="FreshProcessResume"/>), and verifies the resumed run against the baseline like
    /// <see cref="VerifyAsync(Func{TrainingCheck}, ComparisonOptions?, string?, BaselineStore?)"/>. Pass the
    /// name of the uninterrupted run's baseline to prove the two bit-identical.
    /// </summary>
    public static Task VerifyResumedAsync(Func<TrainingCheck> create, CheckpointPosition stopAfter, ComparisonOptions? options = null, string? name = null, BaselineStore? store = null)
    {
        ArgumentNullException.ThrowIfNull(create);
        ArgumentNullException.ThrowIfNull(stopAfter);
        return VerifyAsync(FreshProcessResume.Train(create, stopAfter), rerun: null, options, name, store);
    }

    /// <summary>Interrupts and resumes a check built by its public parameterless constructor; see <see cref="VerifyResumedAsync(Func{TrainingCheck}, CheckpointPosition, ComparisonOptions?, string?, BaselineStore?)"/>.</summary>
    public static Task VerifyResumedAsync<TCheck>(CheckpointPosition stopAfter, ComparisonOptions? options = null, string? name = null, BaselineStore? store = null)
        where TCheck : TrainingCheck, new() =>
        VerifyResumedAsync(() => new TCheck(), stopAfter, options, name, store);
}
