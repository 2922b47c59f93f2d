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
            var verified = received with { Approval = new ApprovalRecord(Approver(), DateTimeOffset.UtcNow, Commit(), route) };
            var verifiedPath = VerifiedPath(k, t);
            AtomicFile.WriteAllText(verifiedPath, ReproJson.Serialize(verified));
            DeleteReceived(k, t);
            approved.Add(Path.GetRelativePath(Root, verifiedPath).Replace('\\', '/'));
        }
        return approved;
    }

    // A received file must describe a complete run of its own config before it may become a baseline.
    static void Validate(BaselineFile received, string path)
    {
        var fingerprint = received.Fingerprint;
        var config = received.Config;
        if (TrainingSession.ConfigHash(config) != fingerprint.ConfigHash)
            throw new ReproException($"Refusing {path}: its config does not hash to the fingerprint's configHash, so the file was edited or mixes two runs. Re-run the check to produce a fresh received file.");
        var stoppedEarly = config.EarlyStoppingPatience is not null && fingerprint.BestEpoch is not null;
        if (fingerprint.Epochs.Count != config.Epochs && !(stoppedEarly && fingerprint.Epochs.Count < config.Epochs && fingerprint.Epochs.Count > 0))
            throw new ReproException($"Refusing {path}: it records {fingerprint.Epochs.Count} epochs but its config trains {config.Epochs} (and did not stop early). The run was cut short; re-run the check.");
        var expectedTensors = ExpectedTensorCount(config.Model);
        if (fingerprint.Tensors.Count != expectedTensors)
            throw new ReproException($"Refusing {path}: it records {fingerprint.Tensors.Count} parameters and buffers but a DualTaskModel of its config has {expectedTensors}. Re-run the check to produce a complete received file.");
    }

    static int ExpectedTensorCount(DualTaskConfig model)
    {
        NativeRuntime.EnsureInitialized();
        using var probe = new DualTaskModel(model);
        return probe.state_dict().Count;
    }

    static string Approver() =>
        Git("config user.name") is { Length: > 0 } name ? name : System.Environment.UserName;

    static string? Commit() => System.Environment.GetEnvironmentVariable("REPRO_COMMIT") ?? Git("rev-parse HEAD");

    static string? Git(string arguments) => Native.ExternalCommand.TryOutput("git", arguments, TimeSpan.FromSeconds(10));
}
