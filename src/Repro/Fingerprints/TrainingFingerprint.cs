namespace Repro;

/// <summary>
/// What a training run produced, in a form that compares exactly: per-epoch metrics (doubles stored
/// round-trip), a hash per parameter and buffer in module order, and hashes of the model, the
/// optimizer state, the data and each epoch's batch order.
/// </summary>
public sealed record TrainingFingerprint
{
    public const int CurrentSchemaVersion = 1;

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;
    public required string Name { get; init; }
    public required string Device { get; init; }
    /// <summary>Hash of the canonical JSON of the training configuration.</summary>
    public required string ConfigHash { get; init; }
    public required int ConfiguredEpochs { get; init; }
    public required string DataHash { get; init; }
    public required string InitialModelHash { get; init; }
    public required IReadOnlyList<EpochRecord> Epochs { get; init; }
    public required IReadOnlyList<TensorRecord> Tensors { get; init; }
    public required string ModelHash { get; init; }
    public required string OptimizerStateHash { get; init; }
    public required long OptimizerSteps { get; init; }
    public int? BestEpoch { get; init; }
    public required EvaluationRecord Test { get; init; }
}

/// <summary>One epoch's metrics and the hash of its batch order.</summary>
public sealed record EpochRecord(
    int Epoch,
    double TotalLoss,
    double RulLoss,
    double HealthLoss,
    double ValidationRmse,
    double ValidationNasaScore,
    double ValidationAccuracy,
    string BatchOrderHash);

/// <summary>A parameter or buffer, in module order.</summary>
public sealed record TensorRecord(string Name, string Kind, IReadOnlyList<long> Shape, string DType, string Hash);

/// <summary>RMSE, NASA score and health accuracy on the last window of each unit.</summary>
public sealed record EvaluationRecord(double Rmse, double NasaScore, double Accuracy, int Units);
