using System.Text.Json;

namespace Repro.Baselines;

/// <summary>
/// One committed baseline (<c>snapshots/&lt;key&gt;/&lt;test&gt;.verified.json</c>) or one received run
/// (<c>.received.json</c>): the fingerprint, the environment and config that produced it, and who approved it.
/// </summary>
public sealed record BaselineFile
{
    /// <summary>
    /// Schema 3: schema 2 sealed by <see cref="Digest"/>. Schema 2 (any check's settings and named metrics) and
    /// schema 1 files are read (<see cref="BaselineStore.Read"/>) and sealed when next approved.
    /// </summary>
    public const int CurrentSchemaVersion = 3;

    /// <summary>A record built in memory is unsealed (2) until Repro writes it: writing seals it as <see cref="CurrentSchemaVersion"/>.</summary>
    public int SchemaVersion { get; init; } = 2;
    public required string Test { get; init; }
    public required string Key { get; init; }
    public ApprovalRecord? Approval { get; init; }
    /// <summary>The CI run that produced these numbers (null for a run on a workstation).</summary>
    public RunOrigin? Origin { get; init; }
    /// <summary>The check's settings (<see cref="TrainingCheck.Settings"/>) as JSON; their hash is the fingerprint's configHash.</summary>
    public required JsonElement Config { get; init; }
    public required EnvironmentFingerprint Environment { get; init; }
    public required TrainingFingerprint Fingerprint { get; init; }
    /// <summary>Per-epoch noise bands from <c>repro calibrate</c>; null for exact baselines.</summary>
    public NoiseEnvelope? Envelope { get; init; }
    /// <summary>
    /// For a received run of a resume test (<c>VerifyResumedAsync</c>): the position it was interrupted at and
    /// resumed from. Such a run is evidence that resumption is not exact, never a baseline: approval refuses it.
    /// </summary>
    public string? ResumedFrom { get; init; }
    /// <summary>
    /// SHA-256 of this document as Repro writes it without this field (schema 3); a reader refuses a file that
    /// no longer matches it. Null in schema 1 and 2 files. See docs/security.md for what it does not guard.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? Digest { get; init; }
}

/// <summary>
/// Who accepted a baseline, when, at which commit of their checkout, by which route, and for a run
/// taken from CI artifacts (<c>repro approve --from</c>) which file it was.
/// </summary>
public sealed record ApprovalRecord(string By, DateTimeOffset At, string? Commit, string Route, string? From = null);
