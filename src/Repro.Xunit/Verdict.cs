namespace Repro.Xunit;

/// <summary>What a passing <c>Baseline.VerifyAsync</c> concluded; a run that does not match throws instead.</summary>
/// <param name="Accepted">True when the run did not match (or had no baseline) and was accepted as the new baseline (<c>REPRO_ACCEPT</c>).</param>
/// <param name="Name">The baseline's name (the file <c>{Key}/{Name}.verified.json</c>).</param>
/// <param name="Key">The environment key the baseline is stored under.</param>
/// <param name="VerifiedPath">The verified baseline file.</param>
/// <param name="Fingerprint">The run's fingerprint: metrics per epoch, weight hashes, data and order hashes.</param>
public sealed record Verdict(bool Accepted, string Name, string Key, string VerifiedPath, TrainingFingerprint Fingerprint);
