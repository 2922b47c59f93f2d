namespace Repro;

internal sealed partial class BaselineStore
{
    /// <summary>
    /// Turns received files into verified baselines: only the given key (and test) unless
    /// <paramref name="allKeys"/>. Each is validated first; a partial or inconsistent one is refused and
    /// nothing is written. A run whose numbers equal another key's baseline bit for bit is recorded as an
    /// alias of it. Every local approval route (CLI, MSBuild property, environment variable) ends here.
    /// </summary>
    public ApprovalResult Approve(string? key, string? test, bool allKeys, string route) => Approve(key, test, allKeys, route, null);

    /// <summary>
    /// <see cref="Approve(string?, string?, bool, string)"/> that also refuses a received run whose config is not the one
    /// <paramref name="currentConfigHash"/> gives for its test in this checkout, as <c>approve --from</c> does.
    /// </summary>
    public ApprovalResult Approve(string? key, string? test, bool allKeys, string route, Func<BaselineFile, string?>? currentConfigHash)
    {
        if (!allKeys && key is null)
            throw new ReproException("Say which environment key to approve (this machine's is printed by 'repro env'), or approve all keys explicitly.");
        var pending = Received()
            .Where(r => allKeys || r.Key == key)
            .Where(r => test is null || r.Test == test)
            .Select(r => new ReceivedRun(ReadReceived(r.Key, r.Test)!, ReceivedPath(r.Key, r.Test)))
            .ToList();
        var result = Accept(pending, route, from: false, currentConfigHash);
        foreach (var run in pending) DeleteReceived(run.File.Key, run.File.Test);
        return result;
    }

    /// <summary>
    /// Approves received runs collected elsewhere (CI artifacts, <see cref="ReceivedArtifacts"/>), any number of
    /// keys at once, with the same checks as <see cref="Approve(string?, string?, bool, string)"/>. Each
    /// baseline records the file it came from; the received file's <see cref="BaselineFile.Origin"/> (the CI
    /// run, commit and machine) is kept. <paramref name="currentConfigHash"/> gives the config hash this
    /// checkout's check has for a run's test (null when unknown); a run made with other settings is refused,
    /// because its baseline would fail here at once.
    /// </summary>
    public ApprovalResult Approve(IReadOnlyList<ReceivedRun> runs, string route, Func<BaselineFile, string?>? currentConfigHash = null)
    {
        ArgumentNullException.ThrowIfNull(runs);
        return Accept(runs, route, from: true, currentConfigHash);
    }

    ApprovalResult Accept(IReadOnlyList<ReceivedRun> runs, string route, bool from, Func<BaselineFile, string?>? currentConfigHash)
    {
        foreach (var run in runs)
        {
            Validate(run.File, run.Source);
            if (run.File.ResumedFrom is { } position)
                throw new ReproException($"Refusing {run.Source}: it is a resumed run (interrupted at {position}) that differed from its uninterrupted baseline, which says resumption is not exact; " +
                    "it is never a baseline. Fix what the checkpoint misses (the check's SaveState/LoadState), or approve the uninterrupted test's run.");
            if (currentConfigHash?.Invoke(run.File) is { } current && current != run.File.Fingerprint.ConfigHash)
                throw new ReproException($"Refusing {TerminalText.Escape(run.Source)}: it was trained with config {run.File.Fingerprint.ConfigHash}, " +
                    $"but this checkout's {run.File.Test} has config {current}, so its baseline would fail here at once. " +
                    (from ? "Approve the artifacts of a CI run of this commit (or check out the commit that run built)." : "Re-run the check with this checkout's settings, then approve."));
        }
        foreach (var twice in runs.GroupBy(r => (r.File.Key, r.File.Test)).Where(g => g.Count() > 1))
            throw new ReproException($"Two received runs of {twice.Key.Test} for {twice.Key.Key}: {string.Join(" and ", twice.Select(r => r.Source))}. Approve the artifacts of one CI run at a time.");

        // One approver per key folder at a time: two approvals interleaving their writes could leave an alias
        // naming numbers the other replaced.
        using var locks = FolderLock.AcquireAllOutside(runs.Select(r => Path.GetDirectoryName(VerifiedPath(r.File.Key, r.File.Test))!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal), "approve");
        var (by, at, commit) = (Approver(), DateTimeOffset.UtcNow, Commit());
        var accepted = new List<ApprovedBaseline>();
        var notes = new List<string>();
        foreach (var group in runs.GroupBy(r => r.File.Test).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var baselines = TestBaselines.Load(this, group.Key);
            // A baseline keeps one definition of its hashes: the legacy record only served comparisons with older baselines.
            baselines.Accept([.. group.Select(r => r.File with
            {
                Approval = new ApprovalRecord(by, at, commit, route, from ? r.Source : null),
                Fingerprint = r.File.Fingerprint with { LegacyHashes = null },
            })]);
            baselines.Save();
            notes.AddRange(baselines.Notes);
            foreach (var run in group.OrderBy(r => r.File.Key, StringComparer.Ordinal))
            {
                var holder = baselines.Holder(run.File.Key);
                var path = holder == run.File.Key ? VerifiedPath(run.File.Key, group.Key) : AliasPath(run.File.Key, group.Key);
                accepted.Add(new ApprovedBaseline(run.File.Key, group.Key, Relative(path), holder == run.File.Key ? null : holder, run.File.Origin, run.Source));
            }
        }
        return new ApprovalResult(accepted, notes);
    }

    /// <summary>
    /// Replaces verified baselines that are bit-identical to another key's by aliases of it (each keeps its
    /// own environment, approval and origin), for the given key and test or all of them. Numbers never change.
    /// </summary>
    public IReadOnlyList<ApprovedBaseline> ShareIdentical(string? key, string? test)
    {
        var shared = new List<ApprovedBaseline>();
        foreach (var name in AllVerified().Select(v => v.Test).Where(t => test is null || t == test).Distinct().Order(StringComparer.Ordinal))
        {
            var baselines = TestBaselines.Load(this, name);
            var candidates = baselines.Entries.Where(e => e.Value is TestBaselines.Own && (key is null || e.Key == key)).Select(e => e.Key).ToHashSet(StringComparer.Ordinal);
            baselines.Share(candidates);
            baselines.Save();
            foreach (var k in candidates.Order(StringComparer.Ordinal))
                if (baselines.Holder(k) is { } holder && holder != k)
                    shared.Add(new ApprovedBaseline(k, name, Relative(AliasPath(k, name)), holder, null, Relative(VerifiedPath(holder, name))));
        }
        return shared;
    }

    // A received file must describe a complete run of its own settings before it may become a baseline.
    static void Validate(BaselineFile received, string source)
    {
        var fingerprint = received.Fingerprint;
        source = TerminalText.Escape(source);
        SafeNames.CheckKey(received.Key, "Refusing " + source);
        SafeNames.CheckTest(received.Test, "Refusing " + source);
        BaselineValidation.Check(received, source);
        if (received.Environment.Key != received.Key)
            throw new ReproException($"Refusing {source}: it names key {received.Key} but its environment gives {received.Environment.Key}, so the file was edited. " +
                "Re-run the check to produce a fresh received file.");
        // The environment block can be copied from another key's file; the training's own record of its device cannot follow.
        if (!DeviceFits(fingerprint.Device, received.Environment.Device))
            throw new ReproException($"Refusing {source}: it is filed under {received.Key} ({received.Environment.Device}) but fingerprint.device says the run trained on {TerminalText.Escape(fingerprint.Device)}, " +
                $"so the file was relabelled. Approve the received file of a run on {received.Key} itself.");
        if (SettingsJson.Hash(received.Config) != fingerprint.ConfigHash)
            throw new ReproException($"Refusing {source}: its config does not hash to the fingerprint's configHash, so the file was edited or mixes two runs. " +
                "Re-run the check to produce a fresh received file.");
        var count = fingerprint.Epochs.Count;
        if (count != fingerprint.ConfiguredEpochs && !(fingerprint.StoppedEarly && count > 0 && count < fingerprint.ConfiguredEpochs))
            throw new ReproException($"Refusing {source}: it records {count} epochs but its check trains {fingerprint.ConfiguredEpochs} (and did not stop early). The run was cut short; " +
                "re-run the check.");
        if (fingerprint.Tensors.Count == 0 || fingerprint.Tensors.Any(t => string.IsNullOrEmpty(t.Hash)))
            throw new ReproException($"Refusing {source}: it records no parameter hashes (or an empty one), so it is not a complete run. Re-run the check to produce a complete received file.");
    }

    static bool DeviceFits(string trained, string environment) =>
        trained == environment || trained.StartsWith(environment + ":", StringComparison.Ordinal);

    string Relative(string path) => Path.GetRelativePath(Root, path).Replace('\\', '/');

    static string Approver() =>
        Git("config user.name") is { Length: > 0 } name ? name : System.Environment.UserName;

    static string? Commit() => ReproSettings.Commit ?? Git("rev-parse HEAD");

    static string? Git(string arguments) => Native.ExternalCommand.TryOutput("git", arguments, TimeSpan.FromSeconds(10));
}
