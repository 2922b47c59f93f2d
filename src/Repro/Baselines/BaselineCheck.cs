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

        if (verified is null)
        {
            var drift = DriftReport.Against(store, test, key, fingerprint);
            var unwritten = TryWriteReceived(store, current, null);
            if (acceptRequested && unwritten is null) return Accept(store, key, test, verifiedPath, null, drift, "no baseline existed");
            var message = new StringBuilder()
                .Append("No baseline for ").Append(key).Append(" (test ").Append(test).Append(").\n")
                .Append(unwritten ?? "Received: " + store.ReceivedPath(key, test) + "\n")
                .Append(drift.Render())
                .Append(unwritten is not null ? "" : wrongThreads ?? AcceptHint(key, test, isTest, store.Root));
            return new BaselineOutcome(BaselineStatus.Missing, test, key, message.ToString(), verifiedPath, unwritten is null ? store.ReceivedPath(key, test) : null, null, drift);
        }

        var comparison = FingerprintComparer.Compare(verified, current, options);
        if (comparison.Passed)
        {
            var stale = TryDeleteReceived(store, key, test);
            return new BaselineOutcome(BaselineStatus.Passed, test, key, $"{test} matches {verifiedPath}.{stale}", verifiedPath, null, comparison, null);
        }

        var report = DivergenceReport.Render(comparison, verifiedPath);
        var deterministic = rerun is null ? (bool?)null : Same(current, rerun(), options);
        var unsettled = false;
        var kind = deterministic switch
        {
            true => "Re-ran in this process: identical to this run",
            false => $"Re-ran in this process: the two runs differ, so the training is NOT deterministic here; run '{ToolCommand.Name} doctor' to find the first diverging operation.\n",
            null => "",
        };
        if (deterministic == true)
        {
            var checkedElsewhere = new List<string>();
            foreach (var other in elsewhere?.Invoke() ?? [])
            {
                if (Same(current, other.Fingerprint, options)) { checkedElsewhere.Add(other.Description); continue; }
                deterministic = false;
                kind += $"{(checkedElsewhere.Count > 0 ? ", and " + string.Join(", ", checkedElsewhere) : "")}; but {other.Description} DIFFERS, " +
                    $"so the training does NOT reproduce (it depends on the process or the machine); run '{ToolCommand.Name} doctor --processes --perturb' to name the cause.\n";
                break;
            }
            if (deterministic == true && checkedElsewhere.Count > 0)
            {
                kind += ", and " + string.Join(", ", checkedElsewhere);
                // Drift needs a recorded change: with none, the runs agree now but not with the baseline's time.
                var changes = RecordedChanges.Between(verified, current);
                if (changes is { Count: 0 })
                {
                    deterministic = false;
                    kind += $"; yet nothing that could explain the move changed since the baseline was recorded (same config, same code: {current.Fingerprint.Code}, " +
                        $"same environment and native stack), so the training does NOT reproduce over time. {RecordedChanges.OverTimeFix}; " +
                        $"'{ToolCommand.Name} doctor --processes --perturb' names per-process causes.\n";
                }
                else
                    kind += ", so this is drift, not non-determinism: " +
                        (changes is null ? "the baseline records no code identity, so what changed is not known (code, data or stack)" : string.Join("; ", changes)) + ".\n";
            }
            else if (deterministic == true)
            {
                unsettled = true;
                kind += $"; but no second process could train it ({elsewhereUnavailable ?? "none was asked for"}), so per-process causes (string-hash order, the clock, " +
                    "the environment) are not ruled out and this is not called drift. Settle it in a second process before accepting anything: " +
                    $"{ToolCommand.Name} doctor --processes --perturb (with the check's --assembly and --check).\n";
            }
        }
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
