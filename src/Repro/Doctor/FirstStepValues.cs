using TorchSharp;
using static TorchSharp.torch;

namespace Repro;

// A check that records no data stages still hands its data to the model: the first step's samples and the
// model's input at that step, kept by value for the doctor, tell a rounding-level move (a reduction in data
// preparation whose order follows scheduling) from other data, as recorded stages do. They reach only the
// doctor's data observer, never the trace, so fingerprints and baselines stay as they were.
internal sealed class FirstStepValues : IDisposable
{
    internal const string Samples = "samples of step 1";
    internal const string Input = "model input at step 1";

    readonly TrainingContext _context;
    readonly IDataObserver _data;
    readonly ModuleHooks _hooks;
    bool _recorded;

    FirstStepValues(nn.Module model, TrainingContext context, IDataObserver data)
    {
        (_context, _data) = (context, data);
        _hooks = ModuleHooks.InstallOnRoot(model, Called);
    }

    /// <summary>Watches the model's first forward pass inside step 1, when the doctor observes the data; null otherwise.</summary>
    internal static FirstStepValues? Watch(nn.Module model, TrainingContext context) =>
        context.Recorder.DataObserver is { } data ? new FirstStepValues(model, context, data) : null;

    /// <summary>The first step's sample indices, as a stage before the model's input.</summary>
    internal static void StepBegun(TrainingContext context, ReadOnlySpan<int> samples)
    {
        if (context.Steps == 1 && context.Recorder.DataObserver is { } data)
            data.OnData(Samples, [.. samples.ToArray().Select(i => (double)i)], singlePrecision: false);
    }

    // Validation before training and later steps are not the first step's input.
    void Called(object?[] args)
    {
        if (_recorded || _context.Steps != 1 || ModuleHooks.TensorsIn(args).FirstOrDefault() is not { } input) return;
        _recorded = true;
        using var scope = NewDisposeScope();
        var values = input.detach().cpu().to_type(ScalarType.Float64).data<double>().ToArray();
        _data.OnData(Input, values, input.dtype == ScalarType.Float32);
    }

    public void Dispose() => _hooks.Dispose();
}
