using System.Text;

namespace Repro;

/// <summary>
/// The check behind every route (xunit assertion, <c>repro check</c>): compare a run with the
/// baseline of its environment key, write the received file and diff on a mismatch, tell the exact
/// command to accept, and accept when the accept switch is on (never on CI).
/// </summary>
internal static partial class BaselineCheck
{
    /// <summary>
    /// Compares <paramref name="run"/> with the baseline named <paramref name="test"/> under its environment key.
    /// <paramref name="rerun"/> trains the same check again when the run does not match, to tell drift from
    /// non-determinism; <paramref name="accept"/> overrides the accept switch (REPRO_ACCEPT).
    /// </summary>
    /// <remarks>
    /// <paramref name="elsewhere"/> yields runs of the same check outside this process (a second process,
    /// perturbed ones); they are trained only when the in-process re-run is identical, and any of them
    /// that differs makes the outcome non-deterministic instead of drift. Without any such run (none given, or
    /// <paramref name="elsewhereUnavailable"/> says why none can be trained) a reproducing mismatch stays
    /// unsettled: it is never called drift and comes with no advice to accept. A run that trained with another
    /// thread count than its key names is never accepted.
    /// </remarks>
    public static BaselineOutcome Verify(BaselineStore store, string test, TrainedRun run, ComparisonOptions? options = null,
        Func<TrainingFingerprint>? rerun = null, bool? accept = null, bool isTest = false, Func<IEnumerable<OtherRun>>? elsewhere = null,
        string? elsewhereUnavailable = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(run);
        var (config, environment, fingerprint) = (run.Settings, run.Environment, run.Fingerprint);
        var key = environment.Key;
        var verified = store.ReadVerified(key, test);
        // For a key that shares another key's baseline, the file that holds the numbers.
        var verifiedPath = store.BaselinePath(key, test) ?? store.VerifiedPath(key, test);
        var current = new BaselineFile { Test = test, Key = key, Config = config, Environment = environment, Fingerprint = fingerprint };
        var acceptRequested = accept ?? AcceptSwitch.IsOn();
        var wrongThreads = fingerprint.TrainingThreads is { } threads && threads != environment.IntraOpThreads
            ? $"This run trained with {fingerprint.TrainingThreads} intra-op threads, but its key names {environment.IntraOpThreads} (threads-{environment.IntraOpThreads}): " +
                "code in the training sets torch's thread count itself, so it is not accepted as a baseline. " +
                "Remove torch.set_num_threads from the training code and pin DeterminismOptions.IntraOpThreads.\n"
            : null;
        if (wrongThreads is not null) acceptRequested = false;

        if (verified is null) return NoBaseline(store, current, verifiedPath, acceptRequested, wrongThreads, isTest);

        var comparison = FingerprintComparer.Compare(verified, current, options);
        if (comparison.Passed)
        {
            var stale = TryDeleteReceived(store, key, test);
            return new BaselineOutcome(BaselineStatus.Passed, test, key, $"{test} matches {verifiedPath}.{stale}", verifiedPath, null, comparison, null);
        }

        var report = DivergenceReport.Render(comparison, verifiedPath);
        var (deterministic, unsettled, kind) = Settle(verified, current, options, rerun, elsewhere, elsewhereUnavailable);
        var notWritten = TryWriteReceived(store, current, report + kind);
        if (acceptRequested && deterministic != false && notWritten is null) return Accept(store, key, test, verifiedPath, comparison, null, "mismatch");
        var status = deterministic == false ? BaselineStatus.NonDeterministic : BaselineStatus.Mismatch;
        var text = report + kind + (notWritten ?? "Received: " + store.ReceivedPath(key, test) + "\n" +
            (deterministic == false || unsettled ? "" : wrongThreads ?? AcceptHint(key, test, isTest, store.Root)));
        return new BaselineOutcome(status, test, key, text, verifiedPath, notWritten is null ? store.ReceivedPath(key, test) : null, comparison, null);
    }

    // Equal numbers and hashes, and the same thread count during training.
    static bool Same(BaselineFile current, TrainingFingerprint other, ComparisonOptions? options) =>
        FingerprintComparer.Compare(current, other, options).Passed && current.Fingerprint.TrainingThreads == other.TrainingThreads;

    /// <summary>
    /// The exact commands that accept this test's received file for this key; with <paramref name="snapshots"/>
    /// (the store's root) the tool command works from any folder.
    /// </summary>
    public static string AcceptHint(string key, string test, bool isTest = false, string? snapshots = null) =>
        "To accept these numbers as the new baseline, run" + (isTest ? " one of" : "") + ":\n" +
        $"  {ToolCommand.Name} approve --key {key} --test {test}" + (snapshots is null ? "" : $" --snapshots \"{snapshots}\"") + "\n" +
        (isTest ? $"  dotnet test -p:ReproAccept=true --filter \"FullyQualifiedName~{test}\"\n" : "") +
        "(repro is the Repro.Cli .NET tool; in the Repro repository: dotnet run --project src/Repro.Cli -- approve ...)\n";

    static BaselineOutcome Accept(BaselineStore store, string key, string test, string verifiedPath, ComparisonResult? comparison, DriftReport? drift, string why)
    {
        var accepted = store.Approve(key, test, allKeys: false, route: AcceptSwitch.Variable);
        var message = $"Accepted ({why}): " + string.Join(", ", accepted.Accepted.Select(a => a.Path + (a.AliasOf is null ? "" : $" (bit-identical to {a.AliasOf}: shares its baseline)")))
            + string.Concat(accepted.GroupChanges.Select(n => "\n" + n));
        return new BaselineOutcome(BaselineStatus.Accepted, test, key, message, verifiedPath, null, comparison, drift);
    }
}

/// <summary>A run of the same check outside this process, for <see cref="BaselineCheck.Verify"/>: what it was ("a second process", "a process with processor count 8") and its fingerprint.</summary>
internal sealed record OtherRun(string Description, TrainingFingerprint Fingerprint);
