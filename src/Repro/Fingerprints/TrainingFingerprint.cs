using System.Text.Json;
using System.Text.Json.Serialization;

namespace Repro.Baselines;

/// <summary>
/// What a training run produced, in a form that compares exactly: per-epoch named metrics (doubles
/// stored round-trip), a hash per parameter and buffer in module order, and hashes of the model, the
/// optimizer state, the data and each epoch's sample order.
/// </summary>
public sealed record TrainingFingerprint
{
    /// <summary>Schema 2: named metrics. Schema 1 files (fixed DualTask fields) are read and mapped.</summary>
    public const int CurrentSchemaVersion = 2;

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;
    public required string Name { get; init; }
    public required string Device { get; init; }
    /// <summary>Hash of the canonical JSON of the check's settings.</summary>
    public required string ConfigHash { get; init; }
    public required int ConfiguredEpochs { get; init; }
    /// <summary>Content hash the check reported for its data ("none" when it reported none).</summary>
    public required string DataHash { get; init; }
    public required string InitialModelHash { get; init; }
    public required IReadOnlyList<EpochRecord> Epochs { get; init; }
    public required IReadOnlyList<TensorRecord> Tensors { get; init; }
    public required string ModelHash { get; init; }
    public required string OptimizerStateHash { get; init; }
    public required long OptimizerSteps { get; init; }
    public int? BestEpoch { get; init; }
    /// <summary>Training ended before <see cref="ConfiguredEpochs"/> because the check asked to stop.</summary>
    public bool StoppedEarly { get; init; }
    /// <summary>Final metrics (e.g. on a test set), compared like epoch metrics.</summary>
    public IReadOnlyDictionary<string, double> Final { get; init; } = new Dictionary<string, double>();
    /// <summary>Model-specific evaluation records, kept for reports; not compared.</summary>
    public IReadOnlyDictionary<string, JsonElement>? Evaluation { get; init; }
    /// <summary>
    /// The definition of every tensor hash here (<see cref="TensorHashKinds"/>); absent in files written
    /// before hash kinds existed, which all used <see cref="TensorHashKinds.XxHash128"/>.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? HashKind { get; init; }
    /// <summary>
    /// This run's hashes under an older definition, so that it can be compared with a baseline approved
    /// under it (see <see cref="TensorHashKinds.RecordLegacyHashes"/>); dropped when a run is approved.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public FingerprintHashes? LegacyHashes { get; init; }

    /// <summary>The definition of the hashes: <see cref="HashKind"/>, or xxh128 where the file predates it.</summary>
    [JsonIgnore]
    public string EffectiveHashKind => HashKind ?? TensorHashKinds.XxHash128;

    // Every hash of this run under one definition: its own, or the legacy record's; null when it has none of that kind.
    internal FingerprintHashes? HashesIn(string kind)
    {
        if (kind == EffectiveHashKind) return new FingerprintHashes(kind, InitialModelHash, [.. Tensors.Select(t => t.Hash)], ModelHash, OptimizerStateHash);
        return LegacyHashes is { } legacy && legacy.Kind == kind && legacy.Tensors.Count == Tensors.Count ? legacy : null;
    }

    /// <summary>Per-epoch and per-data-stage digests that locate a mismatch (<see cref="TrainingTrace"/>); null in baselines recorded before it existed.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public TrainingTrace? Trace { get; init; }

    /// <summary>
    /// The intra-op thread count libtorch reported at the end of each epoch: the first that differed from
    /// the one the environment key names, else that one. Null in baselines recorded before it was read.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? TrainingThreads { get; init; }

    // In this process only: the check asked for data workers (TrainingContext.DataWorkers).
    [JsonIgnore]
    internal bool UsesDataWorkers { get; init; }

    /// <summary>
    /// The optimizer the check built (type name, and the kernel for ReproAdamW), so the audit can name one
    /// whose square root is vendor-dependent on the CPU; null in baselines recorded before it was read.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Optimizer { get; init; }

    /// <summary>
    /// The code that trained: the check's assembly (file name and SHA-256) and Repro's version. A mismatch with a
    /// baseline of the same code, config and environment is not drift but a training that does not reproduce
    /// over time; null in baselines recorded before it was read.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Code { get; init; }

    /// <summary>
    /// The tolerances the check declares (<see cref="TrainingCheck.Comparison"/>), so every comparison of this
    /// run honours them; null when it compares exactly (and in baselines recorded before it was kept).
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ComparisonOptions? Comparison { get; init; }

    /// <summary>The ATen CPU capability libtorch ran the training with; null in baselines recorded before it was read.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? TrainingCpuCapability { get; init; }
}

/// <summary>
/// Every hash of one run under one definition (<see cref="TensorHashKinds"/>): the initial weights, each
/// parameter and buffer in the order of <see cref="TrainingFingerprint.Tensors"/>, the model and the optimizer state.
/// </summary>
public sealed record FingerprintHashes(string Kind, string InitialModelHash, IReadOnlyList<string> Tensors, string ModelHash, string OptimizerStateHash);

/// <summary>One epoch's named metrics and the hash of its sample order.</summary>
public sealed record EpochRecord(int Epoch, IReadOnlyDictionary<string, double> Metrics, string BatchOrderHash)
{
    /// <summary>
    /// The hash of the sample indices in the order the epoch's steps consumed them; recorded only when that
    /// differs from the planned order (<see cref="BatchOrderHash"/>), e.g. batches trained as tasks completed.
    /// Absent in baselines recorded before it existed, and wherever the steps consumed the planned order.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ConsumedOrderHash { get; init; }

    // In this process only: the steps consumed the planned samples, in another order.
    [JsonIgnore]
    internal bool ConsumedPlannedSamplesReordered { get; init; }
}

/// <summary>A parameter or buffer, in module order.</summary>
public sealed record TensorRecord(string Name, string Kind, IReadOnlyList<long> Shape, string DType, string Hash);
