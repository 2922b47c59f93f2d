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
        if (InputSize < 1 || Conv1Channels < 1 || Conv2Channels < 1 || Conv3Channels < 1 || FullyConnectedSize < 1 || SharedSize < 1 || HeadSize < 1 || LstmLayers < 1)
            throw new ReproException($"DualTaskModelConfig has a size below 1 ({this}); every layer needs at least one unit.");
        if (HiddenSize % 2 != 0)
            throw new ReproException($"DualTaskModelConfig.HiddenSize={HiddenSize} must be even: the bidirectional LSTM gives each direction half of it.");
        if (AttentionHeads < 1 || HiddenSize % AttentionHeads != 0)
            throw new ReproException($"DualTaskModelConfig.HiddenSize={HiddenSize} must be divisible by AttentionHeads={AttentionHeads}.");
        if (Dropout is < 0 or >= 1 || AttentionDropout is < 0 or >= 1)
            throw new ReproException($"DualTaskModelConfig dropout rates must be in [0, 1) (Dropout={Dropout}, AttentionDropout={AttentionDropout}).");
    }
}
