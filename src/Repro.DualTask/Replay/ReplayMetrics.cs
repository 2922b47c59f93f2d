using Repro.Baselines;

namespace Repro.DualTask;

/// <summary>
/// What a training produced, in the one JSON shape both sides of the PyTorch replay write:
/// <c>torchsharp.json</c> from <see cref="ReplayExport"/>, and the output of
/// <c>interop/pytorch/replay.py</c>. Weight digests are SHA-256 of the raw bytes, which Python's
/// standard library computes too (the fingerprint's XxHash128 it does not).
/// </summary>
/// <param name="Source">"torchsharp" or "pytorch".</param>
/// <param name="Library">Managed and native library versions that trained.</param>
/// <param name="Device">"cpu" or "cuda".</param>
/// <param name="Epochs">Per-epoch losses and validation metrics, as in the fingerprint.</param>
/// <param name="BestEpoch">Epoch whose weights early stopping restored; null without early stopping.</param>
/// <param name="OptimizerSteps">Optimizer steps taken.</param>
/// <param name="Test">Metrics of the final model on the test split.</param>
/// <param name="FinalWeights">SHA-256 of every state_dict entry of the final model, in module order.</param>
public sealed record ReplayMetrics(
    string Source,
    string Library,
    string Device,
    IReadOnlyList<ReplayEpoch> Epochs,
    int? BestEpoch,
    long OptimizerSteps,
    EvaluationRecord Test,
    IReadOnlyList<ReplayTensorDigest> FinalWeights);

/// <summary>One epoch's metrics, the fields of <see cref="EpochRecord"/> without the batch-order hash.</summary>
public sealed record ReplayEpoch(
    int Epoch,
    double TotalLoss,
    double RulLoss,
    double HealthLoss,
    double ValidationRmse,
    double ValidationNasaScore,
    double ValidationAccuracy);

/// <summary>SHA-256 (lower-case hex) of one state_dict entry's raw little-endian bytes.</summary>
public sealed record ReplayTensorDigest(string Name, string Sha256);
