namespace Repro;

internal static partial class BaselineCheck
{
    /// <summary>
    /// Compares a run that was interrupted at <paramref name="stoppedAt"/> and resumed in a fresh process
    /// (<see cref="FreshProcessResume"/>) with the same check trained without interruption in this process,
    /// and, when <paramref name="against"/> names one, with that baseline too. On a mismatch the received file
    /// is written under the resume test's own name <paramref name="test"/>, marked as resumed, so that no
    /// approval can turn it into a baseline; the message never advises accepting it.
    /// </summary>
    internal static BaselineOutcome VerifyResumed(BaselineStore store, string test, TrainedRun uninterrupted, TrainedRun resumed,
        CheckpointPosition stoppedAt, string? against = null, ComparisonOptions? options = null)
    {
        var key = resumed.Environment.Key;
        var interrupted = $"The run interrupted after {stoppedAt.Describe()} and resumed in a fresh process";
        var reference = new BaselineFile { Test = test, Key = key, Config = uninterrupted.Settings, Environment = uninterrupted.Environment, Fingerprint = uninterrupted.Fingerprint };
        var comparison = FingerprintComparer.Compare(reference, resumed.Fingerprint, options);
        if (!comparison.Passed)
            return Failed(store, test, resumed, stoppedAt, DivergenceReport.Render(comparison, "the uninterrupted run") +
                $"{interrupted} differs from the same check trained without interruption, " +
                    "so the checkpoint does not hold everything the rest of training depends on (state kept in the check's fields needs SaveState/LoadState). " +
                    "A resumed run is never approved as a baseline.\n", store.VerifiedPath(key, test), comparison);
        if (against is null)
        {
            store.DeleteReceived(key, test);
            return new BaselineOutcome(BaselineStatus.Passed, test, key, $"{test}: {interrupted} equals the uninterrupted run bit for bit.", store.VerifiedPath(key, test), null, comparison, null);
        }
        var verified = store.ReadVerified(key, against);
        var verifiedPath = store.BaselinePath(key, against) ?? store.VerifiedPath(key, against);
        if (verified is null)
            return new BaselineOutcome(BaselineStatus.Missing, test, key,
                $"{interrupted} equals the uninterrupted run, but there is no baseline {verifiedPath} to compare both with. Approve the run of the test that verifies {against} first.\n", verifiedPath, null, null, null);
        var againstBaseline = FingerprintComparer.Compare(verified, resumed.Fingerprint, options);
        if (!againstBaseline.Passed)
            return Failed(store, test, resumed, stoppedAt, DivergenceReport.Render(againstBaseline, verifiedPath) +
                $"{interrupted} equals the uninterrupted run, so resumption is exact; both differ from the baseline: see the test that verifies {against}.\n", verifiedPath, againstBaseline);
        store.DeleteReceived(key, test);
        return new BaselineOutcome(BaselineStatus.Passed, test, key, $"{test}: {interrupted} equals the uninterrupted run and {verifiedPath}.", verifiedPath, null, againstBaseline, null);
    }

    static BaselineOutcome Failed(BaselineStore store, string test, TrainedRun resumed, CheckpointPosition stoppedAt, string text, string verifiedPath, ComparisonResult comparison)
    {
        var key = resumed.Environment.Key;
        store.WriteReceived(new BaselineFile { Test = test, Key = key, Config = resumed.Settings, Environment = resumed.Environment, Fingerprint = resumed.Fingerprint, ResumedFrom = stoppedAt.ToString() }, text);
        return new BaselineOutcome(BaselineStatus.Mismatch, test, key, text + "Received: " + store.ReceivedPath(key, test) + "\n", verifiedPath, store.ReceivedPath(key, test), comparison, null);
    }
}
