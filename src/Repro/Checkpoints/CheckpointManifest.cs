using System.Text.Json;

namespace Repro;

/// <summary>
/// manifest.json of a checkpoint (docs/checkpoints.md): what wrote it, where in training it was taken,
/// the run's record so far, and the size and hash of its tensors file, so that a checkpoint from another
/// check, config, schema, device or environment, or a damaged one, is refused instead of resumed.
/// </summary>
internal sealed record CheckpointManifest
{
    internal const string FormatName = "repro-checkpoint";
    // 2 added epochSums; 3 seals the manifest with a digest and binds the tensors file's SHA-256. Schema 1
    // and 2 checkpoints are still read (1 holds no harness-kept sums; neither is sealed).
    internal const int CurrentSchemaVersion = 3;
    internal const int SealedSchemaVersion = 3;
    internal const int OldestReadableSchemaVersion = 1;

    public required string Format { get; init; }
    public required int SchemaVersion { get; init; }
    public required string Check { get; init; }
    /// <summary>Hash of the check's settings JSON (the fingerprint's configHash).</summary>
    public required string ConfigHash { get; init; }
    public required JsonElement Settings { get; init; }
    /// <summary>"cpu" or "cuda".</summary>
    public required string Device { get; init; }
    public required string EnvironmentKey { get; init; }
    public required CheckpointPositionRecord Position { get; init; }
    public required string DataHash { get; init; }
    public required string InitialModelHash { get; init; }
    /// <summary>The epochs finished so far, with their metrics.</summary>
    public required IReadOnlyList<EpochRecord> Epochs { get; init; }
    /// <summary>Hash of the sample indices of this epoch's steps so far (checked when a resume replays them); null at an epoch's end.</summary>
    public string? EpochSamplesHash { get; init; }
    /// <summary>
    /// The epoch's <see cref="EpochContext.Sums"/> at a mid-epoch checkpoint, in the order the check asked for
    /// them (empty at an epoch's end); null in a schema 1 checkpoint, which did not store them.
    /// </summary>
    public IReadOnlyList<EpochSumsRecord>? EpochSums { get; init; }
    public required CheckpointOptimizerRecord Optimizer { get; init; }
    /// <summary>The CUDA generator (seed, offset) on CUDA; the CPU generator is the tensor "generator.cpu".</summary>
    public CudaGeneratorState? CudaGenerator { get; init; }
    /// <summary>The check's JSON values (<see cref="CheckpointState.SetValue{T}"/>).</summary>
    public required IReadOnlyDictionary<string, JsonElement> CheckValues { get; init; }
    /// <summary>The compact trace so far, so a resumed run's baseline carries the uninterrupted run's trace; absent in older checkpoints.</summary>
    public TraceSnapshot? Trace { get; init; }
    public required CheckpointFileRecord Tensors { get; init; }
    /// <summary>SHA-256 of this manifest as written without this field (schema 3); an edited metric or step count no longer matches.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? Digest { get; init; }

    internal CheckpointPosition ToPosition() => Position.EndOfEpoch
        ? CheckpointPosition.AfterEpoch(Position.Epoch)
        : CheckpointPosition.AfterStep(Position.Epoch, Position.StepInEpoch);
}

/// <param name="Epoch">The epoch the checkpoint was taken in (at its end, or inside it).</param>
/// <param name="StepInEpoch">Steps of that epoch done.</param>
/// <param name="EndOfEpoch">Taken after the epoch's metrics were recorded.</param>
/// <param name="Steps">Training steps done over the whole run.</param>
/// <param name="OptimizerSteps">Optimizer updates done over the whole run.</param>
/// <param name="Stopped">The check asked to stop training after this epoch (early stopping): a resume goes straight to Finish.</param>
internal sealed record CheckpointPositionRecord(int Epoch, int StepInEpoch, bool EndOfEpoch, long Steps, long OptimizerSteps, bool Stopped);

/// <param name="Kind">"ReproAdamW" or "TorchSharp.{type}".</param>
/// <param name="ReproAdamWSteps">ReproAdamW's step count (its bias correction depends on it); 0 otherwise.</param>
internal sealed record CheckpointOptimizerRecord(string Kind, long ReproAdamWSteps);

/// <param name="File">The tensors file beside the manifest.</param>
/// <param name="Bytes">Its length.</param>
/// <param name="XxHash128">Hash of its bytes; a torn or damaged file does not match.</param>
/// <param name="Sha256">SHA-256 of its bytes (schema 3), sealed with the manifest: a file replaced together with its xxHash does not match.</param>
internal sealed record CheckpointFileRecord(string File, long Bytes, string XxHash128,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? Sha256 = null);
