namespace Repro;

public sealed partial class EpochContext
{
    /// <summary>
    /// This epoch's <see cref="Order"/> of <paramref name="count"/> samples cut into consecutive batches of
    /// <paramref name="batchSize"/> sample indices (the last one shorter unless <paramref name="dropLast"/>),
    /// one training step each: <c>foreach (var batch in context.Batches(count, batchSize)) { ... }</c>. Each
    /// step is begun as it is handed out, and a resumed run is not handed the steps its checkpoint had already
    /// done (<see cref="StepInEpoch"/> still counts them). The order's hash is recorded like <see cref="Order"/>'s.
    /// </summary>
    public EpochSteps<ArraySegment<int>> Batches(int count, int batchSize, bool dropLast = false) =>
        Steps(EpochOrder.Split(Order(count), batchSize, dropLast), batch => batch);

    /// <summary>
    /// The training steps of a check with its own loader: each of <paramref name="batches"/> is one step over
    /// the sample indices <paramref name="samples"/> reads from it,
    /// <c>foreach (var batch in context.Steps(loader.Epoch(order), b => b.Samples)) { ... }</c>. Each step is
    /// begun as it is handed out (the doctor hashes its samples and the generator state there, and checkpoints
    /// are taken there, between the previous step and this one), so nothing in the loop body comes before it;
    /// a resumed run is not handed the steps its checkpoint had already done, though <paramref name="batches"/>
    /// still produces them (their samples are checked against the checkpoint's). Enumerate it once, with
    /// <c>foreach</c>.
    /// </summary>
    public EpochSteps<T> Steps<T>(IEnumerable<T> batches, Func<T, ReadOnlySpan<int>> samples)
    {
        ArgumentNullException.ThrowIfNull(batches);
        ArgumentNullException.ThrowIfNull(samples);
        return new EpochSteps<T>(this, batches, samples);
    }

    /// <summary>
    /// The current step's number in this epoch, 1 for the first, counting the steps a resumed run left out
    /// (what gradient accumulation counts); 0 before the first step.
    /// </summary>
    public int StepInEpoch { get; private set; }

    /// <summary>
    /// Steps of this epoch that the checkpoint this run resumed from had already done, which
    /// <see cref="Batches"/> and <see cref="Steps{T}"/> leave out. 0 unless the run resumed in the middle of this epoch.
    /// </summary>
    public int SkippedSteps { get; internal set; }

    // The current step is one a resumed run skips.
    internal bool Skipping { get; private set; }

    // Begins a step over these samples; false for a step that a resumed run already did before its checkpoint.
    internal bool Step(ReadOnlySpan<int> samples)
    {
        // Before the resume skip: the steps a checkpoint had done consumed their samples too.
        _consumed.AddRange(samples);
        if (_training.Checkpoints is { } checkpoints && !checkpoints.BeforeStep(this, samples))
        {
            StepInEpoch++;
            Skipping = true;
            return false;
        }
        Skipping = false;
        StepInEpoch++;
        _training.Steps++;
        FirstStepValues.StepBegun(_training, samples);
        _training.Observer?.OnBatch(Epoch, _training.Steps, samples);
        return true;
    }
}
