namespace Repro.DualTask;

/// <summary>Which buffers (BatchNorm running statistics) the EMA-evaluated model uses.</summary>
public enum EmaBufferRule
{
    /// <summary>The live (trained) model's running statistics; only the weights are averaged.</summary>
    Live = 0,

    /// <summary>Running mean and variance averaged with the same per-step decay as the weights, and swapped in with them.</summary>
    Averaged = 1,
}
