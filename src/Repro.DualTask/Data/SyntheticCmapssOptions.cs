using System.Text.Json.Serialization;

namespace Repro.DualTask;

/// <summary>
/// Shape of a synthetic C-MAPSS-like dataset. The defaults resemble FD001 (100 + 100 units, one
/// operating regime, lives of 128..362 cycles); tests shrink them to build tiny datasets.
/// </summary>
public sealed record SyntheticCmapssOptions
{
    /// <summary>Run-to-failure units; at least 1.</summary>
    public int TrainUnits { get; init; } = 100;

    /// <summary>Truncated units with a recorded true RUL; 0 or more.</summary>
    public int TestUnits { get; init; } = 100;

    /// <summary>
    /// Operating regimes, 1..6: 1 is FD001-like (sea level only), 6 is FD002-like (each cycle flown in
    /// one of the six C-MAPSS flight conditions, which shift every sensor's level).
    /// </summary>
    public int Regimes { get; init; } = 1;

    /// <summary>
    /// Fault modes: <see cref="FaultModes.Hpc"/> (FD001/FD002-like, the default) or
    /// <see cref="FaultModes.HpcAndFan"/> (FD003/FD004-like: each unit fails by HPC or by fan
    /// degradation, drawn per unit, with fan-speed sensors trending the other way). With
    /// <see cref="Regimes"/> = 6 this is FD004-like. Left out of the settings JSON at its default.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public FaultModes FaultModes { get; init; }

    /// <summary>Shortest life in cycles (the failure cycle); at least 2 so test units can stop before failure.</summary>
    public int MinLife { get; init; } = 128;

    /// <summary>Longest life in cycles; at least <see cref="MinLife"/>.</summary>
    public int MaxLife { get; init; } = 362;

    internal void Validate()
    {
        if (TrainUnits < 1) throw new ReproException($"SyntheticCmapssOptions.TrainUnits={TrainUnits} must be at least 1.");
        if (TestUnits < 0) throw new ReproException($"SyntheticCmapssOptions.TestUnits={TestUnits} must be 0 or more.");
        if (Regimes is < 1 or > SensorModel.MaxRegimes)
            throw new ReproException($"SyntheticCmapssOptions.Regimes={Regimes} must be 1..{SensorModel.MaxRegimes} (1 for FD001-like, 6 for FD002-like data).");
        if (!Enum.IsDefined(FaultModes))
            throw new ReproException($"SyntheticCmapssOptions.FaultModes={(int)FaultModes} is not a choice; use \"hpc\" (FD001/FD002-like) or \"hpcAndFan\" (FD003/FD004-like).");
        if (MinLife < 2) throw new ReproException($"SyntheticCmapssOptions.MinLife={MinLife} must be at least 2 so test units can be cut before failure.");
        if (MaxLife < MinLife) throw new ReproException($"SyntheticCmapssOptions.MaxLife={MaxLife} must be at least MinLife={MinLife}.");
    }
}
