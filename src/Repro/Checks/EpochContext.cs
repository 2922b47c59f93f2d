namespace Repro;

/// <summary>
/// One epoch of a check: its number, the sample order, and the two calls that let the doctor trace a
/// step (<see cref="Step"/> before the forward pass, <see cref="Update"/> instead of
/// <c>optimizer.step(); optimizer.zero_grad()</c>).
/// </summary>
public sealed class EpochContext
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

    /// <summary>
    /// This epoch's <see cref="Order"/> of <paramref name="count"/> samples cut into consecutive batches of
    /// <paramref name="batchSize"/> sample indices (the last one shorter unless <paramref name="dropLast"/>);
    /// the order's hash is recorded like <see cref="Order"/>'s.
    /// </summary>
    public IReadOnlyList<ArraySegment<int>> Batches(int count, int batchSize, bool dropLast = false) =>
        EpochOrder.Split(Order(count), batchSize, dropLast);

    /// <summary>Records the sample order this epoch used, when the check builds its own.</summary>
    public void RecordOrder(ReadOnlySpan<int> order) => OrderHash = EpochOrder.Hash(order);

    /// <summary>
    /// Starts a training step over these samples (their indices); the doctor hashes them and the generator
    /// state here, and checkpoints are taken here (between the previous step and this one). Call it first in
    /// each step, before anything draws random numbers for the step. Returns false for a step that a resumed
    /// run already did before its checkpoint (see <see cref="SkippedSteps"/>): skip the rest of that step,
    /// <c>if (!context.Step(samples)) continue;</c>.
    /// </summary>
    public bool Step(ReadOnlySpan<int> samples)
    {
        if (_training.Checkpoints is { } checkpoints && !checkpoints.BeforeStep(this, samples))
        {
            StepInEpoch++;
            Skipping = true;
            return false;
        }
        Skipping = false;
        StepInEpoch++;
        _training.Steps++;
        _training.Observer?.OnBatch(Epoch, _training.Steps, samples);
        return true;
    }

    /// <summary>
    /// Steps of this epoch that the checkpoint this run resumed from had already done: <see cref="Step"/> returns
    /// false for the first this many. 0 unless the run resumed in the middle of this epoch.
    /// </summary>
    public int SkippedSteps { get; internal set; }

    // Step calls in this epoch so far, skipped ones included.
    internal int StepInEpoch { get; private set; }

    // The current step is one a resumed run skips.
    internal bool Skipping { get; private set; }

    /// <summary>
    /// <c>optimizer.step()</c> then <c>optimizer.zero_grad()</c> on the run's optimizer; under the doctor it
    /// also hashes every gradient before and every parameter after the update.
    /// </summary>
    public void Update()
    {
        if (Skipping)
            throw new ReproException($"The check '{_training.Check.Name}' called Update() in step {StepInEpoch} of epoch {Epoch}, which this resumed run had already done before its checkpoint (Step returned false). Skip the rest of such a step: if (!context.Step(samples)) continue;");
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
}
