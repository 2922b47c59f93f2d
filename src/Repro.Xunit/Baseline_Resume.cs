namespace Repro.Xunit;

public static partial class Baseline
{
    /// <summary>
    /// Interrupts and resumes: trains the check <paramref name="create"/> builds up to
    /// <paramref name="stopAfter"/> in this process (checkpointing there), resumes the checkpoint in a fresh
    /// process, and requires the resumed run to equal the same check trained without interruption bit for bit
    /// (that run is shared with <c>VerifyAsync</c> of the same check in this test run). Whether the numbers
    /// match the baseline is <c>VerifyAsync</c>'s to say, so a change that moves them fails that test, not this
    /// one, unless <see cref="BaselineSettings.Against"/> names that baseline.
    /// </summary>
    /// <param name="create">Builds the check; a fresh process rebuilds it by its public parameterless constructor.</param>
    /// <param name="stopAfter">Where to interrupt, e.g. <c>CheckpointPosition.AfterStep(2, 3)</c> (mid-epoch) or <c>CheckpointPosition.AfterEpoch(1)</c>.</param>
    /// <param name="settings">The snapshots folder and the baseline to compare with too; null: the project's, the uninterrupted run only.</param>
    /// <remarks>
    /// On a mismatch the received file is written under this test's own name and marked as resumed, so that
    /// no approval can replace the uninterrupted baseline with it.
    /// </remarks>
    public static Task<Verdict> VerifyResumedAsync(Func<TrainingCheck> create, CheckpointPosition stopAfter, BaselineSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(create);
        ArgumentNullException.ThrowIfNull(stopAfter);
        var test = settings?.Name ?? BaselineName.Current();
        return InTurn(() =>
        {
            var store = Store(settings);
            var resumed = FreshProcessResume.Train(create, stopAfter);
            return Report(store, BaselineCheck.VerifyResumed(store, test, TrainingRuns.Get(create), resumed, stopAfter, settings?.Against), resumed.Fingerprint);
        });
    }

    /// <summary>Interrupts and resumes a check built by its public parameterless constructor; see <see cref="VerifyResumedAsync(Func{TrainingCheck}, CheckpointPosition, BaselineSettings?)"/>.</summary>
    public static Task<Verdict> VerifyResumedAsync<TCheck>(CheckpointPosition stopAfter, BaselineSettings? settings = null)
        where TCheck : TrainingCheck, new() =>
        VerifyResumedAsync(() => new TCheck(), stopAfter, settings);
}
