namespace Repro;

/// <summary>A metric that left its tolerance; Epoch is null for the final (test) metrics.</summary>
internal sealed record MetricDifference(int? Epoch, string Metric, double Baseline, double Current, string Allowed)
{
    public double Difference => Current - Baseline;

    public double RelativeDifference => Baseline == 0 ? (Current == 0 ? 0 : double.PositiveInfinity) : Math.Abs(Difference / Baseline);
}

/// <summary>The outcome of comparing a run with its baseline, with what is needed to explain a failure.</summary>
internal sealed record ComparisonResult
{
    public required bool Passed { get; init; }
    /// <summary>Failing metrics, first epoch first.</summary>
    public required IReadOnlyList<MetricDifference> Differences { get; init; }
    /// <summary>Parameters and buffers whose hash moved, in module order.</summary>
    public required IReadOnlyList<string> MovedTensors { get; init; }
    /// <summary>First epoch whose batch order differs, or null.</summary>
    public int? FirstReorderedEpoch { get; init; }
    /// <summary>
    /// First epoch whose steps consumed their samples in another order than the other run's (the planned orders
    /// being equal), where either run recorded a consumed order; null otherwise. Explains a move, never fails a check by itself.
    /// </summary>
    public int? FirstConsumedReorderedEpoch { get; init; }
    public bool DataChanged { get; init; }
    public bool ConfigChanged { get; init; }
    /// <summary>
    /// When <see cref="ConfigChanged"/>: each setting of the run's config that differs from the baseline's,
    /// in document order; empty when only the fingerprint was compared (no config to walk).
    /// </summary>
    public IReadOnlyList<SettingChange> ConfigChanges { get; init; } = [];
    public bool InitialWeightsChanged { get; init; }
    /// <summary>The runs cannot be compared epoch by epoch (different epoch count or tensor list).</summary>
    public string? StructuralDifference { get; init; }
    /// <summary>Whether tensor hashes counted towards <see cref="Passed"/>.</summary>
    public bool HashesEnforced { get; init; }

    /// <summary>The first piece of state that moved, when both runs carry a compact trace; null otherwise.</summary>
    public MovedState? FirstMovedState { get; init; }

    /// <summary>The intra-op thread counts training ran with (baseline, this run), when they differ; null otherwise.</summary>
    public ThreadCountChange? TrainingThreadsChanged { get; init; }

    public int? FirstDivergingEpoch => Differences.Where(d => d.Epoch is not null).Select(d => d.Epoch).FirstOrDefault();

    /// <summary>
    /// What moved, first cause first: a configuration change (naming each setting, old and new value), a
    /// thread-count change, a data problem (inputs or batch order changed), the initial weights, or numerics
    /// only (a kernel, library or code change, never said when the configuration changed).
    /// </summary>
    public string Cause =>
        Passed ? "none" :
        // The settings explain whatever else moved with them (data sizes, order, weights), so they come first.
        ConfigChanged ? ConfigChangeDescription(ConfigChanges) :
        TrainingThreadsChanged is { } threads ? $"training ran with {threads.Current} intra-op threads, " +
            $"the baseline's with {threads.Baseline} (something in the training sets the thread count itself): CPU reductions split work by thread count" :
        DataChanged ? "data changed (the training data hash moved): a data or preprocessing problem" :
        FirstReorderedEpoch is not null ? $"batch order changed from epoch {FirstReorderedEpoch}: a data-order problem" :
        InitialWeightsChanged ? "initial weights changed: seeding or model construction" :
        FirstMovedState is { Piece: "generator" } generator ? $"same data, order, config and initial weights, but {generator.Summary}: {generator.Meaning}" :
        FirstConsumedReorderedEpoch is not null ? "same data, planned order, config and initial weights, " +
            $"but from epoch {FirstConsumedReorderedEpoch} the steps consumed their batches in another order (completion order: tasks or a concurrent collection)" :
        "same data, order, config and initial weights; the training steps computed other numbers: randomness in batch preparation, a kernel, a library or a code change";

    internal static string ConfigChangeDescription(IReadOnlyList<SettingChange> changes) => changes.Count == 0
        ? "configuration changed (its config hash differs from the baseline's)"
        : "configuration changed: " + string.Join("; ", changes);
}

/// <summary>The intra-op thread counts two trainings ran with.</summary>
internal sealed record ThreadCountChange(int Baseline, int Current);
