namespace Repro.Advanced;

/// <summary>How <see cref="ReproAdamW"/> holds the parameters it updates.</summary>
public enum ParameterLayout
{
    /// <summary>
    /// <see cref="Flat"/> on every device: flat and per-tensor updates give every parameter the same bits on
    /// the CPU and on CUDA (docs/performance.md, Repro.Bench flat, the flat GPU tests). The variable
    /// REPRO_PARAMETER_LAYOUT (auto, flat, per-tensor) overrides Auto.
    /// </summary>
    Auto,

    /// <summary>One set of element-wise kernels per parameter tensor (PyTorch's <c>foreach=False</c>).</summary>
    PerTensor,

    /// <summary>
    /// Parameters and gradients as views into a few contiguous buffers (<see cref="FlatParameters"/>):
    /// one set of element-wise kernels per buffer.
    /// </summary>
    Flat,
}

internal static class ParameterLayouts
{
    internal const string Variable = "REPRO_PARAMETER_LAYOUT";

    internal static ParameterLayout FromEnvironment() =>
        ReproVariables.Choice(Variable, ParameterLayout.Auto, "a parameter layout", "auto, flat or per-tensor",
            ("flat", ParameterLayout.Flat), ("per-tensor", ParameterLayout.PerTensor), ("pertensor", ParameterLayout.PerTensor));

    internal static bool UseFlat(ParameterLayout requested) =>
        (requested == ParameterLayout.Auto ? FromEnvironment() : requested) != ParameterLayout.PerTensor;
}
