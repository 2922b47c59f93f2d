using System.Text.Json.Serialization;

namespace Repro.DualTask;

/// <summary>
/// Sizes of <see cref="DualTaskModel"/>. <see cref="Chapter"/> is the source chapter's
/// DualTaskEnhancedModel(input_size=15, hidden_size=256, dropout=0.3); <see cref="Small"/> keeps
/// every layer type but trains in seconds on two CPU cores.
/// </summary>
public sealed record DualTaskModelConfig
{
    public int InputSize { get; init; } = 15;
    public int Conv1Channels { get; init; } = 64;
    public int Conv2Channels { get; init; } = 128;
    public int Conv3Channels { get; init; } = 64;
    /// <summary>Bidirectional LSTM output width (two directions of HiddenSize/2).</summary>
    public int HiddenSize { get; init; } = 256;
    public int LstmLayers { get; init; } = 2;
    public int AttentionHeads { get; init; } = 8;
    public double Dropout { get; init; } = 0.3;
    public double AttentionDropout { get; init; } = 0.1;
    public int FullyConnectedSize { get; init; } = 128;
    public int SharedSize { get; init; } = 64;
    public int HeadSize { get; init; } = 32;
    public int HealthClasses { get; init; } = 3;
    /// <summary>
    /// The RUL head's output: <see cref="RulHeadKind.Relu"/> (the chapter's, the default) or
    /// <see cref="RulHeadKind.Linear"/> (no output ReLU while training, the prediction clamped to
    /// [0, RUL cap] at evaluation, so the head cannot start dead). Left out of the settings JSON at its
    /// default so that existing baselines keep their config hash.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public RulHeadKind RulHead { get; init; }
    /// <summary>
    /// Factor on the linear head's output (null: 1). Adam moves each weight by about the learning rate
    /// per step whatever the loss scale, so an unscaled head needs thousands of steps to reach RULs of
    /// 50..125 cycles; with the RUL cap here the head works in units of the cap. Linear head only.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public double? RulOutputScale { get; init; }

    /// <summary>
    /// How self-attention is computed: <see cref="AttentionKernel.Module"/> (default) or
    /// <see cref="AttentionKernel.Sdpa"/>. Same parameters either way; different numbers, so a config that
    /// changes it has its own baselines. Left out of the config's JSON (and so of its hash) at the default,
    /// so configs written before the option existed keep their hash.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    [JsonConverter(typeof(AttentionKernelJson))]
    public AttentionKernel Attention { get; init; }

    /// <summary>
    /// How the conv blocks' batch norms call libtorch: <see cref="BatchNormKernel.Module"/> (default) or
    /// <see cref="BatchNormKernel.Cudnn"/> (CUDA only). Same parameters and buffers either way. Left out of
    /// the JSON at the default, as <see cref="Attention"/>.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    [JsonConverter(typeof(BatchNormKernelJson))]
    public BatchNormKernel BatchNorm { get; init; }

    public static DualTaskModelConfig Chapter { get; } = new();

    public static DualTaskModelConfig Small { get; } = new()
    {
        Conv1Channels = 16,
        Conv2Channels = 32,
        Conv3Channels = 16,
        HiddenSize = 32,
        LstmLayers = 1,
        AttentionHeads = 4,
        FullyConnectedSize = 32,
        SharedSize = 16,
        HeadSize = 8,
    };

    internal void Validate()
    {
        foreach (var (field, value) in new[]
        {
            (nameof(InputSize), InputSize), (nameof(Conv1Channels), Conv1Channels), (nameof(Conv2Channels), Conv2Channels),
            (nameof(Conv3Channels), Conv3Channels), (nameof(LstmLayers), LstmLayers), (nameof(AttentionHeads), AttentionHeads),
            (nameof(FullyConnectedSize), FullyConnectedSize), (nameof(SharedSize), SharedSize), (nameof(HeadSize), HeadSize),
            (nameof(HealthClasses), HealthClasses),
        })
            if (value < 1) throw new ReproException($"DualTaskModelConfig.{field}={value} must be at least 1: every layer needs at least one unit (the chapter's model: {Chapter.Describe(field)}).");
        if (HiddenSize < 2 || HiddenSize % 2 != 0)
            throw new ReproException($"DualTaskModelConfig.HiddenSize={HiddenSize} must be even and at least 2: the bidirectional LSTM gives each direction half of it (the chapter uses 256).");
        if (HiddenSize % AttentionHeads != 0)
            throw new ReproException($"DualTaskModelConfig.HiddenSize={HiddenSize} must be divisible by AttentionHeads={AttentionHeads}: " +
                "each head attends over HiddenSize/AttentionHeads features (e.g. 256 and 8).");
        if (!Enum.IsDefined(RulHead))
            throw new ReproException($"DualTaskModelConfig.RulHead={(int)RulHead} is not a head; use \"relu\" (the chapter's) or \"linear\".");
        if (RulOutputScale is { } scale && (RulHead != RulHeadKind.Linear || !(scale > 0) || double.IsInfinity(scale)))
            throw new ReproException($"DualTaskModelConfig.RulOutputScale={scale} needs RulHead \"linear\" and a positive finite value (e.g. 125, the RUL cap), or null for none.");
        if (!(Dropout is >= 0 and < 1))
            throw new ReproException($"DualTaskModelConfig.Dropout={Dropout} must be in [0, 1) (the chapter uses 0.3; 0 turns dropout off).");
        if (!(AttentionDropout is >= 0 and < 1))
            throw new ReproException($"DualTaskModelConfig.AttentionDropout={AttentionDropout} must be in [0, 1) (the chapter uses 0.1; 0 turns it off).");
        if (!Enum.IsDefined(Attention))
            throw new ReproException($"DualTaskModelConfig.Attention={(int)Attention} is not an attention kernel; use one of: {KernelChoiceJson<AttentionKernel>.Allowed}.");
        if (!Enum.IsDefined(BatchNorm))
            throw new ReproException($"DualTaskModelConfig.BatchNorm={(int)BatchNorm} is not a batch-norm kernel; use one of: {KernelChoiceJson<BatchNormKernel>.Allowed}.");
    }

    string Describe(string field) => field + "=" + typeof(DualTaskModelConfig).GetProperty(field)!.GetValue(this);
}
