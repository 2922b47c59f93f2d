namespace Repro.DualTask;

/// <summary>How the units of a synthetic fleet fail.</summary>
public enum FaultModes
{
    /// <summary>High-pressure compressor degradation only (FD001, FD002).</summary>
    Hpc = 0,

    /// <summary>HPC or fan degradation, half the units each on average (FD003, FD004).</summary>
    HpcAndFan = 1,
}
