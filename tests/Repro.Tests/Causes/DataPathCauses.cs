using System.Collections.Immutable;

namespace Repro.Tests.Causes;

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
