namespace Repro;

/// <summary>How much a finding matters.</summary>
internal enum FindingSeverity
{
    /// <summary>Worth knowing; does not change numbers here.</summary>
    Info,
    /// <summary>Can move numbers (drift against a baseline) but runs still reproduce.</summary>
    Warning,
    /// <summary>Breaks reproducibility: runs differ, or will on this device.</summary>
    Error,
}

/// <summary>One cause the doctor found: a stable kebab-case code, what it saw, where, and the exact fix.</summary>
/// <param name="Code">Stable identifier, one of <see cref="DoctorCodes"/>.</param>
/// <param name="Severity">Error, warning or info.</param>
/// <param name="What">What the evidence shows.</param>
/// <param name="Where">Where: a setting, a step and stage, a baseline file.</param>
/// <param name="Fix">The exact change that removes the cause.</param>
internal sealed record DoctorFinding(string Code, FindingSeverity Severity, string What, string Where, string Fix);
