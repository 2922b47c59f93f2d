using Repro.Advanced;

namespace Repro.DualTask;

/// <summary>
/// Holds out whole units for validation: windows of one engine overlap, so a split by window would
/// put near-copies of validation samples into training.
/// </summary>
internal static class UnitSplit
{
    public const string StreamName = "validation-split";

    /// <summary>Positions (not unit ids) of training and validation units, each ascending.</summary>
    public static (int[] Train, int[] Validation) Split(int units, double fraction, long seed)
    {
        if (fraction <= 0) return (Enumerable.Range(0, units).ToArray(), []);
        if (units < 2)
            throw new ReproException($"A validation split needs at least 2 training units but the dataset has {units}; add units or set PreprocessingOptions.ValidationFraction = 0.");
        var held = Math.Clamp((int)Math.Round(units * fraction), 1, units - 1);
        var order = Enumerable.Range(0, units).ToArray();
        RandomStreams.Create(seed, StreamName).ShuffleInPlace(order.AsSpan());
        var validation = order[..held];
        var train = order[held..];
        Array.Sort(validation);
        Array.Sort(train);
        return (train, validation);
    }
}
