using System.Text.Json.Serialization;

namespace Repro.Baselines;

/// <summary>
/// The compact trace stored with every new baseline: a digest of each data stage the check recorded and,
/// per epoch, of the state that carries into the next one. It is not compared for pass or fail; when a
/// run does not match its baseline it says which piece of state moved first (a data stage, the
/// generator, the order, the weights or the optimizer) and in which epoch.
/// </summary>
public sealed record TrainingTrace
{
    /// <summary>Data stages in the order the check recorded them (<see cref="TrainingContext.RecordData(string, ReadOnlySpan{float})"/>).</summary>
    public IReadOnlyList<DataStageRecord> Data { get; init; } = [];

    /// <summary>One record per trained epoch.</summary>
    public IReadOnlyList<EpochTraceRecord> Epochs { get; init; } = [];
}

/// <summary>One data stage: its content digest and element count; for a stage of items (units, files), also a digest of the items regardless of their order.</summary>
public sealed record DataStageRecord(
    string Stage,
    string Hash,
    long Count,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ItemSetHash = null);

/// <summary>
/// One epoch's state digests: torch's CPU generator when the epoch started, the weights (every parameter
/// and buffer) and the optimizer state when it ended, and on CUDA the default CUDA generator (Philox seed
/// and offset) when the epoch started (null on the CPU, so CPU traces are unchanged).
/// </summary>
public sealed record EpochTraceRecord(
    int Epoch,
    string GeneratorAtStart,
    string ModelAtEnd,
    string OptimizerAtEnd,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? CudaGeneratorAtStart = null);
