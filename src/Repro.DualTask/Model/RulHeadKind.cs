namespace Repro.DualTask;

/// <summary>The output of <see cref="DualTaskModel"/>'s RUL head.</summary>
public enum RulHeadKind
{
    /// <summary>The chapter's head: Linear -> ReLU -> Linear -> ReLU (can start dead: 0 for every input).</summary>
    Relu = 0,

    /// <summary>Linear -> ReLU -> Linear: trained on the raw output, clamped to [0, RUL cap] at evaluation.</summary>
    Linear = 1,
}
