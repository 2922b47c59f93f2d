using Repro.Advanced;
using System.Text.Json.Serialization;

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
    /// <summary>
    /// ReproAdamW's update: <see cref="AdamWKernel.Reference"/> (default, op by op) or <see cref="AdamWKernel.Fused"/>
    /// (libtorch's <c>_fused_adamw_</c>, its own baselines). JSON <c>"optimizer": "reference" | "fused"</c>, left out
    /// at the default so configs written before the option existed keep their hash.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    [JsonConverter(typeof(AdamWKernelJson))]
    public AdamWKernel Optimizer { get; init; }
    /// <summary>EMA decay of the weights used for evaluation; null turns EMA off.</summary>
    public double? EmaDecay { get; init; } = 0.999;
    /// <summary>
    /// EMA warm-up: update t (0-based) uses min(EmaDecay, (1 + t) / (10 + t)), so the average follows
    /// the weights early on instead of staying mostly the initial ones. Off by default: the committed
    /// baselines were trained without it. Left out of the settings JSON while off, so that existing
    /// baselines keep their config hash.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool EmaWarmup { get; init; }
    /// <summary>
    /// Which BatchNorm statistics the EMA-evaluated model uses: the live model's (the default, as the
    /// committed baselines were trained) or running statistics averaged with the weights' decay.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public EmaBufferRule EmaBuffers { get; init; }
    /// <summary>Epochs without a better validation RMSE before stopping; null never stops early.</summary>
    public int? EarlyStoppingPatience { get; init; }
    public int GradientAccumulationSteps { get; init; } = 1;
    /// <summary>bf16 compute with fp32 master weights (CUDA only; TorchSharp has no autocast).</summary>
    public bool MixedPrecision { get; init; }
    /// <summary>Threads preparing batches; results are identical for any count (the doctor's data-workers perturbation checks that, through TrainingContext.DataWorkers).</summary>
    public int DataWorkers { get; init; } = 1;
    public DualTaskModelConfig Model { get; init; } = DualTaskModelConfig.Small;
    public DataSource Data { get; init; } = DataSource.SmallSynthetic;
    public DeterminismOptions Determinism { get; init; } = new();

    /// <summary>
    /// Seconds on two CPU cores: every layer type at 16 channels, on an 80-unit fleet windowed at stride 8,
    /// with the learning options (EMA warm-up with averaged BatchNorm statistics, the linear RUL head,
    /// dropout 0.1): its validation RMSE improves over the epochs to well below the naive baseline's
    /// (docs/learning.md has the measured curves).
    /// </summary>
    public static DualTaskConfig Small { get; } = new()
    {
        BatchSize = 48,
        LearningRate = 2e-3,
        EmaDecay = 0.999,
        EmaWarmup = true,
        EmaBuffers = EmaBufferRule.Averaged,
        Model = DualTaskModelConfig.Small with { RulHead = RulHeadKind.Linear, RulOutputScale = RulLabels.DefaultCap, Dropout = 0.1 },
        Data = DataSource.SmallSynthetic,
    };

    /// <summary>
    /// The chapter's model, DualTaskEnhancedModel(15, 256), batch 256, seed 42, with the learning options
    /// and dropout 0.1 (0.3 in the chapter, with which the model overfitted from its first epoch), on an
    /// 800-unit fleet windowed at stride 2; up to 8 epochs, early stopping after 3 without a better
    /// validation RMSE. A GPU configuration: seconds on an H200, minutes on two CPU cores.
    /// </summary>
    public static DualTaskConfig Chapter { get; } = new()
    {
        Name = "dualtask-chapter",
        Epochs = 8,
        EmaWarmup = true,
        EmaBuffers = EmaBufferRule.Averaged,
        Model = DualTaskModelConfig.Chapter with { RulHead = RulHeadKind.Linear, RulOutputScale = RulLabels.DefaultCap, Dropout = 0.1 },
        Data = DataSource.ChapterSynthetic,
        EarlyStoppingPatience = 3,
    };

    /// <summary>
    /// The chapter's configuration with the fused kernels stock PyTorch uses: attention through
    /// <c>scaled_dot_product_attention</c>, cuDNN batch norm and libtorch's fused AdamW. Different numbers from <see cref="Chapter"/>,
    /// so its own baselines (CUDA only: cuDNN batch norm does not exist on the CPU).
    /// </summary>
    public static DualTaskConfig ChapterFused { get; } = Chapter with
    {
        Name = "dualtask-chapter-fused",
        Model = Chapter.Model with { Attention = AttentionKernel.Sdpa, BatchNorm = BatchNormKernel.Cudnn },
        Optimizer = AdamWKernel.Fused,
    };

    /// <summary><see cref="Small"/> on FD004-like data: six operating regimes and two fault modes (HPC and fan).</summary>
    public static DualTaskConfig SmallFd004 { get; } = Small with
    {
        Name = "dualtask-small-fd004",
        Data = DataSource.SmallSynthetic with
        {
            Synthetic = DataSource.SmallSynthetic.Synthetic with { Regimes = 6, FaultModes = FaultModes.HpcAndFan },
        },
    };

    /// <summary>
    /// Every field, before anything loads or trains: the first invalid one as a <see cref="ReproException"/>
    /// naming the field, its value and the fix. Also refuses a config whose data or model cannot fit in
    /// this machine's memory, instead of letting the process be killed half-way.
    /// </summary>
    internal void Validate()
    {
        if (Model is null || Data is null || Determinism is null || Data.Synthetic is null || Data.Preprocessing is null || Data.CmapssSubset is null)
            throw new ReproException("DualTaskConfig has a null section (model, data, data.synthetic, data.preprocessing, data.cmapssSubset or determinism); leave a section out to get its default, " +
                "never set it to null.");
        Model.Validate();
        if (Model.InputSize != CmapssPreprocessing.Channels)
            throw new ReproException($"DualTaskConfig.Model.InputSize={Model.InputSize} must be {CmapssPreprocessing.Channels}: " +
                $"the data has {CmapssPreprocessing.Channels} channels per cycle (14 sensors and the cycle).");
        if (Model.HealthClasses != HealthStates)
            throw new ReproException($"DualTaskConfig.Model.HealthClasses={Model.HealthClasses} must be {HealthStates}: the data labels {HealthStates} health states (healthy, degrading, critical).");
        if (Epochs < 1) throw new ReproException($"DualTaskConfig.Epochs={Epochs} must be at least 1.");
        if (BatchSize < 1) throw new ReproException($"DualTaskConfig.BatchSize={BatchSize} must be at least 1 (the chapter uses 256).");
        if (GradientAccumulationSteps < 1) throw new ReproException($"DualTaskConfig.GradientAccumulationSteps={GradientAccumulationSteps} must be at least 1 (1 = no accumulation).");
        if (DataWorkers is < 1 or > MaxWorkers) throw new ReproException($"DualTaskConfig.DataWorkers={DataWorkers} must be 1..{MaxWorkers} (any count gives the same batches; 1 to 4 is plenty).");
        if (!(LearningRate > 0) || double.IsInfinity(LearningRate)) throw new ReproException($"DualTaskConfig.LearningRate={LearningRate} must be a positive number (the chapter uses 1e-3).");
        if (!(WeightDecay >= 0) || double.IsInfinity(WeightDecay)) throw new ReproException($"DualTaskConfig.WeightDecay={WeightDecay} must be a finite number, 0 or more (the chapter uses 1e-4).");
        if (EmaDecay is { } ema && !(ema is > 0 and < 1)) throw new ReproException($"DualTaskConfig.EmaDecay={ema} must be in (0, 1), e.g. 0.999, or null to turn EMA off.");
        if (!Enum.IsDefined(Optimizer)) throw new ReproException($"DualTaskConfig.Optimizer={(int)Optimizer} is not an AdamW kernel; use one of: {KernelChoiceJson<AdamWKernel>.Allowed}.");
        if (EmaDecay is null && (EmaWarmup || EmaBuffers != EmaBufferRule.Live))
            throw new ReproException($"DualTaskConfig.EmaWarmup={EmaWarmup} and EmaBuffers={EmaBuffers} describe the EMA, but EmaDecay is null (EMA off); set EmaDecay (e.g. " +
                "0.999) or leave both at their defaults (false, live).");
        if (!Enum.IsDefined(EmaBuffers)) throw new ReproException($"DualTaskConfig.EmaBuffers={(int)EmaBuffers} is not a rule; use \"live\" or \"averaged\".");
        if (EarlyStoppingPatience is < 1) throw new ReproException($"DualTaskConfig.EarlyStoppingPatience={EarlyStoppingPatience} must be at least 1, or null to never stop early.");
        ValidateData();
        Determinism.Validate();
        DualTaskResources.Check(this);
    }

    const int HealthStates = 3;
    const int MaxWorkers = 256;

    void ValidateData()
    {
        Data.Preprocessing.Validate();
        if (!(Data.Preprocessing.ValidationFraction > 0))
            throw new ReproException($"DualTaskConfig.Data.Preprocessing.ValidationFraction={Data.Preprocessing.ValidationFraction} leaves no validation units, " +
                "but the check reports validation metrics every epoch; use a share in (0, 1) such as 0.2.");
        if (Data.CmapssDirectory is { } directory)
        {
            if (!Directory.Exists(directory))
                throw new ReproException($"DualTaskConfig.Data.CmapssDirectory='{directory}' does not exist. Point it at the folder holding train_{Data.CmapssSubset}.txt, " +
                    $"test_{Data.CmapssSubset}.txt and RUL_{Data.CmapssSubset}.txt, or set it to null to use the synthetic generator.");
            CmapssFiles.CheckFiles(directory, Data.CmapssSubset);
            return;
        }
        Data.Synthetic.Validate();
        if (Data.Synthetic.TrainUnits < 2)
            throw new ReproException($"DualTaskConfig.Data.Synthetic.TrainUnits={Data.Synthetic.TrainUnits} must be at least 2: whole units are held out for validation (the small config uses 16).");
        if (Data.Synthetic.TestUnits < 1)
            throw new ReproException($"DualTaskConfig.Data.Synthetic.TestUnits={Data.Synthetic.TestUnits} must be at least 1: " +
                "the check's final metrics are measured on the test units (the small config uses 8).");
    }
}
