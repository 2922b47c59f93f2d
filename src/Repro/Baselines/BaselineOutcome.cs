namespace Repro;

/// <summary>What a baseline check concluded.</summary>
internal enum BaselineStatus
{
    /// <summary>The run matches the verified baseline of this environment key.</summary>
    Passed,
    /// <summary>The run differs from the verified baseline.</summary>
    Mismatch,
    /// <summary>This environment key has no baseline of this test yet.</summary>
    Missing,
    /// <summary>Two runs of the same config in this process differ: the training is not deterministic.</summary>
    NonDeterministic,
    /// <summary>The run did not match (or had no baseline) and was accepted as the new baseline.</summary>
    Accepted,
}

/// <summary>The result of <see cref="BaselineCheck.Verify"/>, with a message ready for a test failure.</summary>
internal sealed record BaselineOutcome(
    BaselineStatus Status,
    string Test,
    string Key,
    string Message,
    string VerifiedPath,
    string? ReceivedPath,
    ComparisonResult? Comparison,
    DriftReport? Drift)
{
    public bool Succeeded => Status is BaselineStatus.Passed or BaselineStatus.Accepted;
}
