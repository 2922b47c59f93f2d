namespace Repro.Xunit;

public static partial class Baseline
{
    /// <summary>
    /// Interrupts and resumes: trains the check <paramref name="create"/> builds up to
    /// <paramref name="stopAfter"/> in this process (checkpointing there), resumes the checkpoint in a fresh
    /// process (<see cref="FreshProcessResume"/>), and requires the resumed run to equal the same check trained
    /// without interruption bit for bit (that run is shared with <c>VerifyAsync</c> of the same check in this test
    /// run). Whether the numbers match the baseline is <c>VerifyAsync</c>'s to say, so a change that moves them
    /// fails that test, not this one.
    /// </summary>
    /// <param name="create">Builds the check; a fresh process rebuilds it by its public parameterless constructor.</param>
    /// <param name="stopAfter">Where to interrupt, e.g. <c>CheckpointPosition.AfterStep(2, 3)</c> (mid-epoch) or <c>CheckpointPosition.AfterEpoch(1)</c>.</param>
    /// <param name="options">Tolerances, as for <see cref="VerifyAsync(Func{TrainingCheck}, ComparisonOptions?, string?, BaselineStore?)"/>.</param>
    /// <param name="against">Also compare with this baseline (a test name); null: with the uninterrupted run only.</param>
    /// <param name="store">The snapshots folder; null: the project's.</param>
    /// <remarks>
    /// On a mismatch the received file is written under this test's own name and marked as resumed, so that
    /// no approval can replace the uninterrupted baseline with it.
    /// </remarks>
    public static Task VerifyResumedAsync(Func<TrainingCheck> create, CheckpointPosition stopAfter, ComparisonOptions? options = null, string? against = null, BaselineStore? store = null)
    {
        ArgumentNullException.ThrowIfNull(create);
        ArgumentNullException.ThrowIfNull(stopAfter);
        var test = CurrentTestName();
        return InTurn(() =>
        {
            store ??= BaselineStore.Default();
            var resumed = FreshProcessResume.Train(create, stopAfter);
            Report(store, BaselineCheck.VerifyResumed(store, test, TrainingRuns.Get(create), resumed, stopAfter, against, options));
        });
    }

    /// <summary>Interrupts and resumes a check built by its public parameterless constructor; see <see cref="VerifyResumedAsync(Func{TrainingCheck}, CheckpointPosition, ComparisonOptions?, string?, BaselineStore?)"/>.</summary>
    public static Task VerifyResumedAsync<TCheck>(CheckpointPosition stopAfter, ComparisonOptions? options = null, string? against = null, BaselineStore? store = null)
        where TCheck : TrainingCheck, new() =>
        VerifyResumedAsync(() => new TCheck(), stopAfter, options, against, store);
}
