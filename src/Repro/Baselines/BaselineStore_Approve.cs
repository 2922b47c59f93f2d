namespace Repro;

public sealed partial class BaselineStore
{
    /// <summary>
    /// Turns received files into verified baselines: only the given key (and test) unless
    /// <paramref name="allKeys"/>. Each is validated first; a partial or inconsistent one is refused.
    /// Every approval route (CLI, MSBuild property, environment variable) ends here.
    /// </summary>
    public IReadOnlyList<string> Approve(string? key, string? test, bool allKeys, string route)
    {
        if (!allKeys && key is null)
            throw new ReproException("Say which environment key to approve (this machine's is printed by 'repro env'), or approve all keys explicitly.");
        var pending = Received()
            .Where(r => allKeys || r.Key == key)
            .Where(r => test is null || r.Test == test)
            .ToList();
        var approved = new List<string>();
        foreach (var (k, t) in pending)
        {
            var receivedPath = ReceivedPath(k, t);
            var received = Read(receivedPath);
            Validate(received, receivedPath);
            // A baseline keeps one definition of its hashes: the legacy record only served comparisons with older baselines.
            var verified = received with
            {
                Approval = new ApprovalRecord(Approver(), DateTimeOffset.UtcNow, Commit(), route),
                Fingerprint = received.Fingerprint with { LegacyHashes = null },
            };
            var verifiedPath = VerifiedPath(k, t);
            AtomicFile.WriteAllText(verifiedPath, ReproJson.Serialize(verified));
            DeleteReceived(k, t);
            approved.Add(Path.GetRelativePath(Root, verifiedPath).Replace('\\', '/'));
        }
        return approved;
    }

    // A received file must describe a complete run of its own settings before it may become a baseline.
    static void Validate(BaselineFile received, string path)
    {
        var fingerprint = received.Fingerprint;
        if (SettingsJson.Hash(received.Config) != fingerprint.ConfigHash)
            throw new ReproException($"Refusing {path}: its config does not hash to the fingerprint's configHash, so the file was edited or mixes two runs. Re-run the check to produce a fresh received file.");
        var count = fingerprint.Epochs.Count;
        if (count != fingerprint.ConfiguredEpochs && !(fingerprint.StoppedEarly && count > 0 && count < fingerprint.ConfiguredEpochs))
            throw new ReproException($"Refusing {path}: it records {count} epochs but its check trains {fingerprint.ConfiguredEpochs} (and did not stop early). The run was cut short; re-run the check.");
        if (fingerprint.Tensors.Count == 0 || fingerprint.Tensors.Any(t => string.IsNullOrEmpty(t.Hash)))
            throw new ReproException($"Refusing {path}: it records no parameter hashes (or an empty one), so it is not a complete run. Re-run the check to produce a complete received file.");
    }

    static string Approver() =>
        Git("config user.name") is { Length: > 0 } name ? name : System.Environment.UserName;

    static string? Commit() => System.Environment.GetEnvironmentVariable("REPRO_COMMIT") ?? Git("rev-parse HEAD");

    static string? Git(string arguments) => Native.ExternalCommand.TryOutput("git", arguments, TimeSpan.FromSeconds(10));
}
