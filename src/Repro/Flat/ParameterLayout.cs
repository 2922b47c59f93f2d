namespace Repro;

/// <summary>How <see cref="ReproAdamW"/> holds the parameters it updates.</summary>
public enum ParameterLayout
{
    /// <summary>
    /// <see cref="Flat"/> on devices where flat updates are established to give every parameter the
    /// bits of per-tensor updates (the CPU), <see cref="PerTensor"/> elsewhere (CUDA until GPU runs
    /// confirm it). The variable REPRO_PARAMETER_LAYOUT (auto, flat, per-tensor) overrides Auto.
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

    internal static ParameterLayout FromEnvironment()
    {
        var value = System.Environment.GetEnvironmentVariable(Variable);
        return value?.Trim().ToLowerInvariant() switch
        {
            null or "" or "auto" => ParameterLayout.Auto,
            "flat" => ParameterLayout.Flat,
            "per-tensor" or "pertensor" => ParameterLayout.PerTensor,
            _ => throw new ReproException($"{Variable}='{value}' is not a parameter layout. Use auto, flat or per-tensor."),
        };
    }

    // Auto resolves per device: flat where bit-identity is established (CPU: docs/performance.md, Repro.Bench flat).
    internal static bool UseFlat(ParameterLayout requested, IEnumerable<TorchSharp.Modules.Parameter> parameters)
    {
        var layout = requested == ParameterLayout.Auto ? FromEnvironment() : requested;
        return layout switch
        {
            ParameterLayout.Flat => true,
            ParameterLayout.PerTensor => false,
            _ => parameters.All(p => p.device_type == TorchSharp.DeviceType.CPU),
        };
    }
}
