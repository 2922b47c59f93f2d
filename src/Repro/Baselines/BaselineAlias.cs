namespace Repro;

/// <summary>
/// <c>snapshots/&lt;key&gt;/&lt;test&gt;.alias.json</c>: this key's baseline of the test is, bit for bit, the
/// verified baseline of another key (<see cref="AliasOf"/>), so the numbers are stored once. The alias keeps
/// what is this key's own: the environment it ran on, who approved it and the CI run it came from.
/// <see cref="FingerprintDigest"/> pins the numbers that were found identical: if the shared baseline
/// changes behind the alias's back, reading it is an error instead of silently following new numbers.
/// </summary>
internal sealed record BaselineAlias
{
    /// <summary>Version of this small format (independent of the baseline schema): 2 is 1 sealed by <see cref="Digest"/>.</summary>
    public const int CurrentSchemaVersion = 2;

    /// <summary>Version 1 until written: writing seals it as <see cref="CurrentSchemaVersion"/>.</summary>
    public int SchemaVersion { get; init; } = 1;
    public required string Test { get; init; }
    public required string Key { get; init; }
    /// <summary>The key whose <c>.verified.json</c> holds the shared numbers (never another alias).</summary>
    public required string AliasOf { get; init; }
    /// <summary>Digest of the shared fingerprint (metrics' bits and every hash) when the alias was recorded.</summary>
    public required string FingerprintDigest { get; init; }
    /// <summary>The shared model hash, for people reading the file.</summary>
    public required string ModelHash { get; init; }
    public ApprovalRecord? Approval { get; init; }
    public RunOrigin? Origin { get; init; }
    public required EnvironmentFingerprint Environment { get; init; }
    /// <summary>SHA-256 of the alias as written without this field (version 2); null in version 1 files.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? Digest { get; init; }
}
