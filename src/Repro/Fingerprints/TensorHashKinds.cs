namespace Repro;

/// <summary>
/// The definitions a fingerprint's tensor hashes can follow, recorded in
/// <see cref="TrainingFingerprint.HashKind"/>. A run is compared with a baseline under the
/// baseline's definition, so baselines approved before a definition changed keep verifying.
/// </summary>
internal static class TensorHashKinds
{
    /// <summary>
    /// XxHash128 of each tensor's header and raw bytes, computed on the host (device tensors are
    /// copied over). What every fingerprint without a <c>hashKind</c> field used.
    /// </summary>
    public const string XxHash128 = "xxh128";

    /// <summary>
    /// Two 64-bit lanes of position-mixed integer sums over each tensor's words, computed on the
    /// tensor's own device with integer arithmetic (exact in any order); only the digests are copied
    /// back. The CPU computes the same definition in managed code.
    /// </summary>
    public const string LaneSum128 = "lanesum128";

    /// <summary>The definition new fingerprints (and so new approvals) use.</summary>
    public const string Current = LaneSum128;

    /// <summary>Environment variable that turns <see cref="RecordLegacyHashes"/> off when set to 0.</summary>
    public const string LegacyHashesVariable = "REPRO_LEGACY_HASHES";

    /// <summary>
    /// Whether a training run also records its hashes under <see cref="XxHash128"/> (in
    /// <see cref="TrainingFingerprint.LegacyHashes"/>), so that baselines approved before
    /// <see cref="LaneSum128"/> keep verifying without re-approval. On by default; it costs what every
    /// fingerprint cost before (device tensors copied to the host once at the end of training). Turn it
    /// off (here, or REPRO_LEGACY_HASHES=0) once every baseline a run is compared with has a <c>hashKind</c>.
    /// </summary>
    public static bool RecordLegacyHashes { get; set; } = System.Environment.GetEnvironmentVariable(LegacyHashesVariable)?.Trim() != "0";

    /// <summary>All known definitions.</summary>
    public static IReadOnlyList<string> All { get; } = [XxHash128, LaneSum128];

    internal static string Validate(string kind) => All.Contains(kind, StringComparer.Ordinal) ? kind
        : throw new ReproException($"Unknown tensor hash kind '{kind}'; known kinds are {string.Join(", ", All)}. A newer Repro wrote this fingerprint: update Repro to read it.");
}
