namespace Repro.DualTask;

/// <summary>
/// Everything a training run depends on. Training is a function of this record alone: the same
/// config gives the same fingerprint on the same environment key.
/// </summary>
public sealed record DualTaskConfig
{
    /// <summary>Name of the check; baselines are stored under it.</summary>
    public string Name { get; init; } = "dualtask-small";
    public long Seed { get; init; } = 42;
    public int Epochs { get; init; } = 3;
    public int BatchSize { get; init; } = 256;
    public double LearningRate { get; init; } = 1e-3;
    public double WeightDecay { get; init; } = 1e-4;
    /// <summary>EMA decay of the weights used for evaluation; null turns EMA off.</summary>
    public double? EmaDecay { get; init; } = 0.999;
    /// <summary>Epochs without a better validation RMSE before stopping; null never stops early.</summary>
    public int? EarlyStoppingPatience { get; init; }
    public int GradientAccumulationSteps { get; init; } = 1;
    /// <summary>bf16 compute with fp32 master weights (CUDA only; TorchSharp has no autocast).</summary>
    public bool MixedPrecision { get; init; }
    /// <summary>Threads preparing batches; results are identical for any count.</summary>
    public int DataWorkers { get; init; } = 1;
    public DualTaskModelConfig Model { get; init; } = DualTaskModelConfig.Small;
    public DataSource Data { get; init; } = DataSource.SmallSynthetic;
    public DeterminismOptions Determinism { get; init; } = new();

    /// <summary>A few seconds on two CPU cores: every layer type, a small synthetic fleet.</summary>
    public static DualTaskConfig Small { get; } = new() { EmaDecay = 0.9 };

    /// <summary>The chapter's configuration: DualTaskEnhancedModel(15, 256, 0.3), batch 256, seed 42.</summary>
    public static DualTaskConfig Chapter { get; } = new()
    {
        Name = "dualtask-chapter",
        Epochs = 5,
        Model = DualTaskModelConfig.Chapter,
        Data = DataSource.ChapterSynthetic,
        EarlyStoppingPatience = 3,
    };

    internal void Validate()
    {
        Model.Validate();
        if (Epochs < 1) throw new ReproException($"DualTaskConfig.Epochs={Epochs} must be at least 1.");
        if (BatchSize < 1) throw new ReproException($"DualTaskConfig.BatchSize={BatchSize} must be at least 1 (the chapter uses 256).");
        if (GradientAccumulationSteps < 1) throw new ReproException($"DualTaskConfig.GradientAccumulationSteps={GradientAccumulationSteps} must be at least 1 (1 = no accumulation).");
        if (DataWorkers < 1) throw new ReproException($"DualTaskConfig.DataWorkers={DataWorkers} must be at least 1.");
        if (!(LearningRate > 0) || double.IsInfinity(LearningRate)) throw new ReproException($"DualTaskConfig.LearningRate={LearningRate} must be a positive number (the chapter uses 1e-3).");
        if (WeightDecay < 0) throw new ReproException($"DualTaskConfig.WeightDecay={WeightDecay} must not be negative.");
        if (EmaDecay is { } ema && ema is <= 0 or >= 1) throw new ReproException($"DualTaskConfig.EmaDecay={ema} must be in (0, 1), e.g. 0.999, or null to turn EMA off.");
        if (EarlyStoppingPatience is < 1) throw new ReproException($"DualTaskConfig.EarlyStoppingPatience={EarlyStoppingPatience} must be at least 1, or null to never stop early.");
    }
}
