using static TorchSharp.torch;

namespace Repro;

/// <summary>
/// What the harness gives a check for one training: the seed, the device, seeded random streams, and
/// (once built) the model and optimizer.
/// </summary>
public sealed partial class TrainingContext
{
    internal TrainingContext(TrainingCheck check, NativeRuntimeInfo runtime, ITrainingObserver? observer, IProgress<TrainingProgress>? progress)
    {
        Check = check;
        Runtime = runtime;
        Device = runtime.IsCuda ? CUDA : CPU;
        Observer = observer;
        Progress = progress;
    }

    internal TrainingCheck Check { get; }

    internal ITrainingObserver? Observer { get; }

    internal IProgress<TrainingProgress>? Progress { get; }

    // This rank's communicator, micro-batch split and gradient reducer when the check trains data-parallel.
    internal DataParallelRank? DataParallel { get; set; }

    // Writes and resumes checkpoints when the run was given CheckpointOptions.
    internal CheckpointSession? Checkpoints { get; set; }

    /// <summary>The check's master seed.</summary>
    public long Seed => Check.Seed;

    /// <summary>Epochs the check is configured to train.</summary>
    public int Epochs => Check.Epochs;

    /// <summary>Where the model trains: CUDA when the determinism options resolved to a GPU, else the CPU.</summary>
    public Device Device { get; }

    /// <summary>The libtorch the run uses and the resolved device name ("cpu" or "cuda").</summary>
    public NativeRuntimeInfo Runtime { get; }

    /// <summary>The model, once <see cref="TrainingCheck.CreateModel"/> has built it.</summary>
    public nn.Module Model { get; internal set; } = null!;

    /// <summary>The optimizer, once <see cref="TrainingCheck.CreateOptimizer"/> has built it.</summary>
    public optim.Optimizer Optimizer { get; internal set; } = null!;

    /// <summary>Optimizer steps taken through <see cref="EpochContext.Update"/> so far.</summary>
    public long OptimizerSteps { get; internal set; }

    /// <summary>Training steps begun so far over all epochs (each step handed out by <see cref="EpochContext.Batches"/> or <see cref="EpochContext.Steps{T}"/>).</summary>
    public long Steps { get; internal set; }

    /// <summary>
    /// A random stream for .NET-side randomness (data generation, augmentation), a pure function of the
    /// seed and the name: the same name gives the same numbers in every run, process and machine.
    /// </summary>
    public StableRandom Random(string name) => RandomStreams.Create(Seed, name);

    /// <summary>Receives each stage's output while the doctor traces a step; null otherwise. Models with named stages may record into it.</summary>
    public IForwardTrace? ForwardTrace => Observer?.ForwardTrace;

    /// <summary>
    /// A <see cref="CapturedStep"/> over <see cref="Model"/> for this run: CUDA graphs on CUDA unless
    /// REPRO_STEP_CAPTURE or <paramref name="capture"/> says otherwise, and eager while the doctor observes
    /// the run (its hooks see every op of every step, which a replayed graph would skip).
    /// <paramref name="eagerBecause"/> names why the check's own step cannot be captured, when it cannot.
    /// Dispose it with the check.
    /// </summary>
    public CapturedStep CaptureStep(Func<IReadOnlyList<Tensor>, IReadOnlyList<Tensor>> step, string? eagerBecause = null, StepCapture capture = StepCapture.Auto)
    {
        var model = Model ?? throw new InvalidOperationException("CaptureStep needs the model: call it from CreateOptimizer or later.");
        var captured = Observer is null ? new CapturedStep(model, step, capture, eagerBecause) : new CapturedStep(model, step, StepCapture.Eager);
        CapturedSteps.Add(captured);
        return captured;
    }

    // What TrainedRun.Steps reports once training has finished.
    internal List<CapturedStep> CapturedSteps { get; } = [];
}
