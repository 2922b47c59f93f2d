namespace Repro.DualTask;

/// <summary>Health state of an engine, the classification target of the DualTask model.</summary>
public enum HealthState
{
    /// <summary>RUL above 80 cycles.</summary>
    Healthy = 0,

    /// <summary>RUL from 30 to 80 cycles inclusive.</summary>
    Degrading = 1,

    /// <summary>RUL below 30 cycles.</summary>
    Critical = 2,
}

/// <summary>
/// The chapter's target conventions. Regression target: RUL capped at 125 cycles (piecewise linear),
/// because early in life the sensors carry no information about the remaining time. Classification
/// target: <see cref="HealthState.Healthy"/> (0) for RUL &gt; 80, <see cref="HealthState.Degrading"/>
/// (1) for 30 &lt;= RUL &lt;= 80, <see cref="HealthState.Critical"/> (2) for RUL &lt; 30, computed
/// from the uncapped RUL.
/// </summary>
public static class RulLabels
{
    /// <summary>Default RUL cap in cycles.</summary>
    public const int DefaultCap = 125;

    /// <summary>RUL above this is <see cref="HealthState.Healthy"/>.</summary>
    public const int HealthyAbove = 80;

    /// <summary>RUL below this is <see cref="HealthState.Critical"/>.</summary>
    public const int CriticalBelow = 30;

    /// <summary>Piecewise-linear target: <c>min(rul, cap)</c>.</summary>
    public static float Capped(int rul, int cap)
    {
        if (rul < 0) throw new ReproException($"RUL {rul} is negative; RUL counts the cycles left until failure.");
        if (cap < 1) throw new ReproException($"RUL cap {cap} must be at least 1 (the chapter uses {DefaultCap}).");
        return Math.Min(rul, cap);
    }

    /// <summary>Health class of an (uncapped) RUL.</summary>
    public static HealthState HealthClass(int rul)
    {
        if (rul < 0) throw new ReproException($"RUL {rul} is negative; RUL counts the cycles left until failure.");
        return rul > HealthyAbove ? HealthState.Healthy : rul >= CriticalBelow ? HealthState.Degrading : HealthState.Critical;
    }
}
