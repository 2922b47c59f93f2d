using System.Collections.Immutable;

namespace Repro.Tests.Support.Causes;

// Mistakes in the data path of a user's check, each as a user would write it.

/// <summary>Noise from an unseeded <c>new Random()</c> in data loading.</summary>
public sealed class UnseededNoiseInData : RegressionCheck
{
    protected override IReadOnlyList<Unit> LoadUnits(TrainingContext context)
    {
        var units = base.LoadUnits(context);
        var noise = new Random();
        foreach (var unit in units) unit.Rows[0] += (float)(noise.NextDouble() * 0.01);
        return units;
    }
}

/// <summary>Units iterated in the order of a hash set of their names: string hashing is randomised per process.</summary>
public sealed class HashOrderedUnits : RegressionCheck
{
    protected override IReadOnlyList<Unit> LoadUnits(TrainingContext context)
    {
        var byName = base.LoadUnits(context).ToDictionary(u => u.Name);
        return [.. ImmutableHashSet.CreateRange(byName.Keys).Select(name => byName[name])];
    }
}

/// <summary>
/// Noise seeded by the clock, as <c>new Random(DateTime.Now.Minute)</c>: every run within a minute agrees,
/// so one process and a second one reproduce, and the next minute trains other numbers. The minute comes
/// from REPRO_TEST_CLOCK_MINUTE when set, so that a test can move the clock.
/// </summary>
public sealed class ClockSeededNoise : RegressionCheck
{
    internal const string MinuteVariable = "REPRO_TEST_CLOCK_MINUTE";

    protected override IReadOnlyList<Unit> LoadUnits(TrainingContext context)
    {
        var units = base.LoadUnits(context);
        var minute = Environment.GetEnvironmentVariable(MinuteVariable) is { } fixedMinute ? int.Parse(fixedMinute, System.Globalization.CultureInfo.InvariantCulture) : DateTime.Now.Minute;
        var noise = new Random(minute);
        foreach (var unit in units) unit.Rows[0] += (float)(noise.NextDouble() * 0.01);
        return units;
    }
}

/// <summary>
/// <see cref="ClockSeededNoise"/> on a fifteen-second clock (<c>new Random((int)(DateTime.Now.Ticks / 15 s))</c>), so
/// that the clock turns during most diagnoses, which take seconds: between its two trainings, during its data
/// preparations, before its second process or among the perturbed ones (never twice within two seconds).
/// </summary>
public sealed class FifteenSecondSeededNoise : RegressionCheck
{
    protected override IReadOnlyList<Unit> LoadUnits(TrainingContext context)
    {
        var units = base.LoadUnits(context);
        var noise = new Random((int)(DateTime.Now.Ticks / (15 * TimeSpan.TicksPerSecond)));
        foreach (var unit in units) unit.Rows[0] += (float)(noise.NextDouble() * 0.01);
        return units;
    }
}

/// <summary>
/// "A different sample every hour, the same within one": noise seeded by <c>new Random(DateTime.Now.Hour)</c>.
/// Every run of one hour agrees, in this process and in a second one.
/// </summary>
public sealed class HourSeededNoise : RegressionCheck
{
    protected override IReadOnlyList<Unit> LoadUnits(TrainingContext context)
    {
        var units = base.LoadUnits(context);
        var noise = new Random(DateTime.Now.Hour);
        foreach (var unit in units) unit.Rows[0] += (float)(noise.NextDouble() * 0.01);
        return units;
    }
}
