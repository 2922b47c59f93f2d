namespace Repro.Advanced;

/// <summary>How <see cref="CapturedStep"/> runs a training step's device work.</summary>
public enum StepCapture
{
    /// <summary>
    /// <see cref="CudaGraph"/> on CUDA, <see cref="Eager"/> elsewhere or where the step cannot be captured.
    /// The variable REPRO_STEP_CAPTURE (auto, eager, cuda-graph) overrides Auto.
    /// </summary>
    Auto,

    /// <summary>Every op launched from the host, every step.</summary>
    Eager,

    /// <summary>
    /// The step recorded once per input shape as a CUDA graph and replayed: the same kernels with the same
    /// arguments, so the same bits, without a host launch per kernel. An error where that is impossible.
    /// </summary>
    CudaGraph,
}

internal static class StepCaptures
{
    internal const string Variable = "REPRO_STEP_CAPTURE";

    internal static StepCapture FromEnvironment() =>
        ReproVariables.Choice(Variable, StepCapture.Auto, "a step capture mode", "auto (CUDA graphs on CUDA), eager or cuda-graph",
            ("eager", StepCapture.Eager), ("cuda-graph", StepCapture.CudaGraph), ("cudagraph", StepCapture.CudaGraph), ("graph", StepCapture.CudaGraph));

    /// <summary>
    /// Whether to capture: the explicit request, else the variable, else the device. <paramref name="eagerBecause"/>
    /// names why this step must run eagerly (null when it can be captured): Auto then runs eagerly, an explicit
    /// CudaGraph is an error that says why.
    /// </summary>
    internal static bool UseGraph(StepCapture requested, bool isCuda, string? eagerBecause)
    {
        if (!Enum.IsDefined(requested)) throw new ReproException($"StepCapture {(int)requested} is not a capture mode; use Auto, Eager or CudaGraph.");
        var fromVariable = requested == StepCapture.Auto;
        var mode = fromVariable ? FromEnvironment() : requested;
        var source = fromVariable ? $"{Variable}=cuda-graph" : "StepCapture.CudaGraph";
        switch (mode)
        {
            case StepCapture.Eager:
                return false;
            case StepCapture.CudaGraph when !isCuda:
                throw new ReproException($"{source} asks for CUDA graphs, but this run is on the CPU. Run on CUDA (--device cuda), or use auto, which captures only on CUDA.");
            case StepCapture.CudaGraph when eagerBecause is not null:
                throw new ReproException($"{source} asks for CUDA graphs, but this step cannot be captured: {eagerBecause}. Use auto (which runs such a step eagerly) or eager.");
            case StepCapture.CudaGraph:
                return true;
            default:
                return isCuda && eagerBecause is null;
        }
    }
}
