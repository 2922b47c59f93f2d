using TorchSharp;
using static TorchSharp.torch;

namespace Repro;

/// <summary>
/// One training to put under Repro: derive from it, say how to build the model and the optimizer and
/// how to train one epoch, and return the epoch's named metrics. The harness
/// (<see cref="TrainingHarness"/>) owns everything around it: determinism and seeding before anything is
/// built, the training guard, the epoch order, the fingerprint (metrics, a hash of every parameter and
/// buffer, the optimizer state, the data and order hashes) and the environment it ran on.
/// </summary>
/// <remarks>
/// An instance trains once: keep per-run state (data, model, optimizer, EMA) in fields. Whoever needs a
/// second run (a re-run that separates drift from non-determinism, the doctor) creates a second instance
/// through the factory it was given, or, in another process, through the public parameterless
/// constructor (or <see cref="IChildProcessCheck.ChildProcessArguments"/>). The call order is
/// <see cref="PrepareData"/>, <see cref="CreateModel"/>, <see cref="CreateOptimizer"/>, then
/// <see cref="TrainEpoch"/> once per epoch, then <see cref="Finish"/>.
/// </remarks>
public abstract class TrainingCheck : IDisposable
{
    int _started;
    int _disposed;

    /// <summary>Baseline name of the check (the file <c>snapshots/{key}/{Name}.verified.json</c> when no test name is given).</summary>
    public virtual string Name => GetType().Name;

    /// <summary>Master seed: torch's generators, the epoch order and <see cref="TrainingContext.Random"/> derive from it.</summary>
    public virtual long Seed => 42;

    /// <summary>Epochs to train (fewer when <see cref="EpochContext.StopTraining"/> is called).</summary>
    public abstract int Epochs { get; }

    /// <summary>The determinism switches and device; the seed is always <see cref="Seed"/>.</summary>
    public virtual DeterminismOptions Determinism => new();

    /// <summary>
    /// Everything else the numbers depend on (hyper-parameters, sizes, data options), as a JSON-serialisable
    /// object. It is stored in the baseline as <c>config</c> and hashed into <c>configHash</c>, so a
    /// baseline recorded with other settings is reported as a configuration change. The default covers the
    /// name, seed and epochs only.
    /// </summary>
    public virtual object Settings => new CheckSettings(Name, Seed, Epochs);

    /// <summary>
    /// Data-parallel training (<c>repro run --gpus N</c>): each global batch cut into a fixed number of micro-batches,
    /// each rank training on its block of them through <see cref="EpochContext.MicroBatches"/>, the flat gradient
    /// buffer reduced once per step before the optimizer steps (docs/distributed.md). Null, the default, trains in
    /// one process exactly as before. Name the options in <see cref="Settings"/>: the micro-batch count changes the numbers.
    /// </summary>
    public virtual DistributedOptions? Distributed => null;

    /// <summary>
    /// How the run is compared with its baseline: exact (the default) or with tolerances per metric. Declared
    /// here, once, and recorded in the run, so the test, <c>repro check</c>, <c>repro diff</c>, the reports and
    /// the doctor all compare the same way.
    /// </summary>
    public virtual ComparisonOptions Comparison => ComparisonOptions.Exact;

    // Another process rebuilds a check by its public parameterless constructor, or by the CLI arguments of
    // an IChildProcessCheck (a check built from a settings file).
    internal IReadOnlyList<string>? ChildProcessArguments => (this as IChildProcessCheck)?.ChildProcessArguments;

    /// <summary>Loads or generates the data (seeded through <see cref="TrainingContext.Random"/>); returns its content hash, or null when there is none to record.</summary>
    protected internal virtual string? PrepareData(TrainingContext context) => null;

    /// <summary>Builds the model. Runs right after torch is seeded, on the CPU generator, so CPU and CUDA runs start from the same weights; the harness then moves it to <see cref="TrainingContext.Device"/>.</summary>
    protected internal abstract nn.Module CreateModel(TrainingContext context);

    /// <summary>Builds the optimizer over the model's parameters (already on the device): any TorchSharp optimizer, or <see cref="ReproAdamW"/>.</summary>
    protected internal abstract optim.Optimizer CreateOptimizer(nn.Module model, TrainingContext context);

    /// <summary>Trains one epoch and returns its named metrics (the same names, in the same order, every epoch).</summary>
    protected internal abstract Metrics TrainEpoch(EpochContext context);

    /// <summary>After the last epoch: final metrics (e.g. on a test set) and the best epoch when early stopping chose one.</summary>
    protected internal virtual FinalResult Finish(TrainingContext context) => FinalResult.None;

    /// <summary>
    /// Stores, at a checkpoint, what the rest of training depends on beyond what the harness stores itself
    /// (model parameters, buffers and gradients, the optimizer, torch's generators, counters, metrics so far,
    /// the epoch's <see cref="EpochContext.Sums"/>): EMA weights, the best weights and early-stopping counters,
    /// a learning-rate schedule's position, .NET random generators kept in fields, anything else an epoch
    /// accumulates when <see cref="CheckpointState.MidEpoch"/>. Called between two steps (as the epoch's steps
    /// hand out the next one) or at the end of an epoch. The default stores nothing, which is right for a
    /// check that keeps no such state.
    /// </summary>
    protected internal virtual void SaveState(CheckpointState state) { }

    /// <summary>
    /// Restores what <see cref="SaveState"/> stored, once, when a run resumes: after the harness restored the
    /// model, optimizer and counters (<see cref="CheckpointState.Training"/>), before training continues. torch's
    /// generators are restored after it, where the checkpoint was taken.
    /// </summary>
    protected internal virtual void LoadState(CheckpointState state) { }

    internal void MarkStarted()
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
            throw new ReproException($"The check '{Name}' ({GetType().Name}) was already trained: an instance trains once. Create a new instance for each training (pass a factory, e.g. " +
                $"() => new {GetType().Name}()).");
    }

    /// <summary>Releases what the check holds beyond the model and optimizer, which the harness disposes.</summary>
    protected virtual void Dispose(bool disposing) { }

    /// <inheritdoc />
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        Dispose(true);
        GC.SuppressFinalize(this);
    }
}

/// <summary>The settings of a check that declares none of its own.</summary>
internal sealed record CheckSettings(string Name, long Seed, int Epochs);
