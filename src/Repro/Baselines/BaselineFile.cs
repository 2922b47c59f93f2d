namespace Repro;

/// <summary>
/// One committed baseline (<c>snapshots/&lt;key&gt;/&lt;test&gt;.verified.json</c>) or one received run
/// (<c>.received.json</c>): the fingerprint, the environment and config that produced it, and who approved it.
/// </summary>
public sealed record BaselineFile
{
    public const int CurrentSchemaVersion = 1;

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;
    public required string Test { get; init; }
    public required string Key { get; init; }
    public ApprovalRecord? Approval { get; init; }
    public required TrainingConfig Config { get; init; }
    public required EnvironmentFingerprint Environment { get; init; }
    public required TrainingFingerprint Fingerprint { get; init; }
    /// <summary>Per-epoch noise bands from <c>repro calibrate</c>; null for exact baselines.</summary>
    public NoiseEnvelope? Envelope { get; init; }
}

/// <summary>Who accepted a baseline, when, at which commit.</summary>
public sealed record ApprovalRecord(string By, DateTimeOffset At, string? Commit, string Route);
