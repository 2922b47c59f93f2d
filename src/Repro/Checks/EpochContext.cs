namespace Repro;

/// <summary>
/// One epoch of a check: its number, the sample order, its steps (<see cref="Batches"/> or
/// <see cref="Steps{T}"/>, which begin each step for the harness), running sums the harness checkpoints
/// (<see cref="Sums"/>), and <see cref="Update"/> instead of <c>optimizer.step(); optimizer.zero_grad()</c>.
/// </summary>
public sealed partial class EpochContext
{
    readonly TrainingContext _training;

    internal EpochContext(TrainingContext training, int epoch)
    {
        _training = training;
        Epoch = epoch;
    }

    /// <summary>1 for the first epoch.</summary>
    public int Epoch { get; }

    /// <summary>The run this epoch belongs to (seed, device, model, optimizer).</summary>
    public TrainingContext Training => _training;

    internal string? OrderHash { get; private set; }

    internal bool StopRequested { get; private set; }

    /// <summary>
    /// This epoch's order of <paramref name="count"/> samples: a pure function of (seed, epoch, count), so
    /// recreating a loader or resuming cannot change it. Its hash is recorded in the fingerprint.
    /// </summary>
    public int[] Order(int count)
    {
        var order = EpochOrder.Permutation(_training.Seed, Epoch, count);
        RecordOrder(order);
        return order;
    }

    /// <summary>Records the sample order this epoch used, when the check builds its own.</summary>
    public void RecordOrder(ReadOnlySpan<int> order)
    {
        OrderHash = EpochOrder.Hash(order);
        _planned = order.ToArray();
    }

    /// <summary>
    /// <c>optimizer.step()</c> then <c>optimizer.zero_grad()</c> on the run's optimizer; under the doctor it
    /// also hashes every gradient before and every parameter after the update.
    /// </summary>
    public void Update()
    {
        // Unreachable through Batches and Steps, which never hand out a skipped step; a guard for the harness's own callers.
        if (Skipping)
            throw new ReproException($"The check '{_training.Check.Name}' called Update() in step {StepInEpoch} of epoch {Epoch}, which this resumed run had already done before its checkpoint. " +
                "Take the epoch's steps from context.Batches(...) or context.Steps(...), which leave such steps out.");
        // Data-parallel: the global batch's mean gradient, the same on every rank, before anyone reads it.
        _training.DataParallel?.Reducer.Reduce();
        var observer = _training.Observer;
        observer?.OnGradients(_training.Steps, [.. _training.Model.named_parameters().Where(p => p.parameter.grad is not null).Select(p => (p.name, p.parameter.grad!))]);
        _training.Optimizer.step();
        _training.Optimizer.zero_grad();
        _training.OptimizerSteps++;
        observer?.OnUpdate(_training.Steps, [.. _training.Model.named_parameters().Select(p => (p.name, (TorchSharp.torch.Tensor)p.parameter))]);
    }

    /// <summary>Reports progress within the epoch (for live displays); cheap, no device synchronisation.</summary>
    public void ReportBatch(int batch, int batches)
    {
        ReportedBatches = batches;
        _training.Progress?.Report(new TrainingProgress(Epoch, _training.Epochs, batch, batches, null));
    }

    internal int ReportedBatches { get; private set; }

    /// <summary>Ends training after this epoch (early stopping).</summary>
    public void StopTraining() => StopRequested = true;

    // After TrainEpoch returned (or threw): what the epoch owned goes.
    internal void End() => DisposeSums();
}
