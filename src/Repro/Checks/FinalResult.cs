namespace Repro;

/// <summary>What a check reports after its last epoch.</summary>
public sealed record FinalResult
{
    /// <summary>No final metrics, no best epoch.</summary>
    public static FinalResult None { get; } = new();

    /// <summary>Final metrics (e.g. on a held-out test set), compared like epoch metrics.</summary>
    public Metrics Metrics { get; init; } = Metrics.Empty;

    /// <summary>The epoch whose weights the result holds when early stopping restored the best ones; null otherwise.</summary>
    public int? BestEpoch { get; init; }

    /// <summary>
    /// Model-specific evaluation records (any JSON-serialisable objects, by name), stored in the baseline and
    /// shown in reports but not compared: put what must match into <see cref="Metrics"/>.
    /// </summary>
    public IReadOnlyDictionary<string, object>? Evaluation { get; init; }
}
