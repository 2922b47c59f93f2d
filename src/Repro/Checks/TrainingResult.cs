using static TorchSharp.torch;

namespace Repro.Advanced;

/// <summary>A finished training that keeps the trained model and the check (with its data) until disposed.</summary>
public sealed class TrainingResult : IDisposable
{
    readonly TrainingContext _context;

    internal TrainingResult(TrainingCheck check, TrainingContext context, TrainedRun run)
    {
        Check = check;
        _context = context;
        Run = run;
    }

    /// <summary>The check that trained, with whatever state it kept (data, EMA, ...).</summary>
    public TrainingCheck Check { get; }

    /// <summary>The trained model, on the training device.</summary>
    public nn.Module Model => _context.Model;

    /// <summary>Settings, environment and fingerprint.</summary>
    public TrainedRun Run { get; }

    /// <summary>Shortcut for <c>Run.Fingerprint</c>.</summary>
    public TrainingFingerprint Fingerprint => Run.Fingerprint;

    /// <inheritdoc />
    public void Dispose()
    {
        _context.Optimizer?.Dispose();
        _context.Model?.Dispose();
        Check.Dispose();
    }
}
