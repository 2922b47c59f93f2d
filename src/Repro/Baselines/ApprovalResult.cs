namespace Repro;

/// <summary>A received run to approve, and where it came from (a received file here, or a file in CI artifacts).</summary>
internal sealed record ReceivedRun(BaselineFile File, string Source);

/// <summary>
/// One accepted run: its key and test, the file written (relative to the snapshots folder), the key whose
/// baseline it shares when its numbers were bit-identical to it (else null), the CI run it came from, and its source.
/// </summary>
internal sealed record ApprovedBaseline(string Key, string Test, string Path, string? AliasOf, RunOrigin? Origin, string Source);

/// <summary>What an approval did: the accepted runs, and how groups of keys that share a baseline changed.</summary>
internal sealed record ApprovalResult(IReadOnlyList<ApprovedBaseline> Accepted, IReadOnlyList<string> GroupChanges);
