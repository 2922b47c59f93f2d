using System.Globalization;
using Repro.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace Repro.Advanced;

/// <summary>
/// A training step's device work - typically forward, loss and backward - recorded as a CUDA graph and
/// replayed, so its kernels are launched without one host call each. The graph replays the kernels the
/// eager step launched, with the same arguments and the same random draws (dropout reads the default
/// CUDA generator's state at each replay), so a replayed step gives the eager step's bits.
/// </summary>
/// <remarks>
/// <para>
/// Per input shape: the first call runs eagerly on a side stream (the warm-up that creates cuBLAS and
/// cuDNN workspaces outside any capture), the second records the step and replays it, later calls copy
/// the inputs into the graph's own input tensors and replay. A step recorded while the parameters held
/// other gradient tensors (an optimizer moved them into a flat buffer, code set <c>.grad</c>) is
/// recorded again, because its backward would write where nobody reads.
/// </para>
/// <para>
/// What the step may do: anything that only launches kernels on the current stream, with values fixed
/// at capture (Python scalars such as a loss weight are baked in). What it must not do: read a value on
/// the host (<c>.item()</c>, <c>.cpu()</c>), use CPU tensors, or depend on anything but its inputs, the
/// parameters and the buffers. Keep the optimizer step outside: its bias corrections change every step.
/// Zero gradients in place between steps (<see cref="ReproAdamW"/> and TorchSharp 0.107's optimizers do):
/// an optimizer that sets them to null makes every step record again - still the eager bits, but no
/// faster (<see cref="Captures"/> shows it).
/// </para>
/// </remarks>
public sealed class CapturedStep : IDisposable
{
    readonly Func<IReadOnlyList<Tensor>, IReadOnlyList<Tensor>> _step;
    readonly TorchSharp.Modules.Parameter[] _parameters;
    readonly Dictionary<string, CapturedShape> _shapes = new(StringComparer.Ordinal);
    CudaGraphNative.Stream? _side;

    /// <summary>
    /// A step over <paramref name="model"/>'s parameters. <paramref name="eagerBecause"/> names why this step
    /// cannot be captured (null when it can): <see cref="StepCapture.Auto"/> then runs it eagerly, and
    /// <see cref="StepCapture.CudaGraph"/> refuses, naming the reason.
    /// </summary>
    public CapturedStep(nn.Module model, Func<IReadOnlyList<Tensor>, IReadOnlyList<Tensor>> step, StepCapture capture = StepCapture.Auto, string? eagerBecause = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        _step = step ?? throw new ArgumentNullException(nameof(step));
        _parameters = [.. model.parameters()];
        UsesCudaGraph = StepCaptures.UseGraph(capture, NativeRuntime.Current?.IsCuda == true, eagerBecause);
        if (UsesCudaGraph) CudaGraphNative.EnsureAvailable();
    }

    /// <summary>Whether steps are captured and replayed (else every call runs the step eagerly).</summary>
    public bool UsesCudaGraph { get; }

    /// <summary>Graphs recorded so far (one per input shape, plus one per re-recording).</summary>
    public int Captures { get; private set; }

    /// <summary>Steps run by replaying a graph.</summary>
    public long Replays { get; private set; }

    /// <summary>Steps run eagerly: every step when not capturing, else the first of each input shape.</summary>
    public long EagerRuns { get; private set; }

    /// <summary>How the steps ran, for a run's output: "eager (N steps)" or the graphs recorded and replayed.</summary>
    public override string ToString() => UsesCudaGraph
        ? string.Create(CultureInfo.InvariantCulture, $"CUDA graphs ({_shapes.Count} input shape{(_shapes.Count == 1 ? "" : "s")}, {Captures} recorded, {Replays} steps replayed, " +
            $"{EagerRuns} run eagerly to warm up)")
        : string.Create(CultureInfo.InvariantCulture, $"eager ({EagerRuns} steps)");

    /// <summary>
    /// Runs the step on <paramref name="inputs"/> and returns its outputs. Replayed outputs belong to this
    /// object and are overwritten by the next call: read or copy them before that, and do not dispose them.
    /// </summary>
    public IReadOnlyList<Tensor> Run(params Tensor[] inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (!UsesCudaGraph)
        {
            EagerRuns++;
            return _step(inputs);
        }
        var key = KeyOf(inputs);
        var side = _side ??= CudaGraphNative.PoolStream();
        if (!_shapes.TryGetValue(key, out var shape))
        {
            _shapes[key] = new CapturedShape();
            EagerRuns++;
            return WarmUp(inputs, side);
        }
        if (shape.RecordedFor(_parameters))
        {
            shape.CopyInputs(inputs);
        }
        else
        {
            shape.Capture(_step, inputs, _parameters, side);
            Captures++;
        }
        shape.Replay();
        Replays++;
        return shape.Outputs;
    }

    IReadOnlyList<Tensor> WarmUp(Tensor[] inputs, CudaGraphNative.Stream side)
    {
        var previous = CudaGraphNative.Current();
        cuda.synchronize();
        CudaGraphNative.SetCurrent(side);
        try
        {
            return _step(inputs);
        }
        finally
        {
            CudaGraphNative.SetCurrent(previous);
            cuda.synchronize();
        }
    }

    static string KeyOf(Tensor[] inputs)
    {
        var parts = new string[inputs.Length];
        for (var i = 0; i < inputs.Length; i++)
        {
            var input = inputs[i] ?? throw new ReproException($"CapturedStep.Run: input {i} is null; pass every input the step reads.");
            if (input.device_type != DeviceType.CUDA)
                throw new ReproException($"CapturedStep.Run: input {i} is on {input.device}, but a CUDA graph reads only device memory. Move the batch to CUDA before the step (.to(CUDA)), " +
                    "or set REPRO_STEP_CAPTURE=eager.");
            parts[i] = string.Create(CultureInfo.InvariantCulture, $"{input.dtype}[{string.Join(',', input.shape)}]@{input.device_index}");
        }
        return string.Join('|', parts);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var shape in _shapes.Values) shape.Dispose();
    }
}
