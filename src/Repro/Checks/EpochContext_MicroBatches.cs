namespace Repro;

public sealed partial class EpochContext
{
    /// <summary>
    /// This rank's micro-batches of one global batch, for a check that trains data-parallel
    /// (<see cref="TrainingCheck.Distributed"/>): <c>foreach (var micro in context.MicroBatches(batch)) { ...; loss.backward(); }</c>
    /// then <see cref="Update"/> once. Run one forward and backward per micro-batch with its mean loss; the harness
    /// keeps each one's gradient and, in <see cref="Update"/>, leaves the mean over all micro-batches of the global
    /// batch (whichever rank computed them) in the gradients before the optimizer steps. On one device the loop
    /// visits every micro-batch. Before each micro-batch torch's generators are seeded with its
    /// <see cref="MicroBatch.Seed"/>, so what it draws (nn.Dropout's masks) depends on which micro-batch it is, not on
    /// which rank computes it after which others. Enumerate it once per step, to the end.
    /// </summary>
    public IEnumerable<MicroBatch> MicroBatches(ArraySegment<int> batch)
    {
        var rank = _training.DataParallel
            ?? throw new ReproException($"The check '{_training.Check.Name}' asked for micro-batches but does not train data-parallel: " +
                "give it 'public override DistributedOptions? Distributed => new() { MicroBatches = 8 };' or loop over the batch itself.");
        // Split now, so a batch that does not divide fails at the call, not at the first MoveNext.
        var mine = rank.Split.ForRank(batch, rank.Rank);
        return Iterate(rank, mine, _training.Steps);
    }

    IEnumerable<MicroBatch> Iterate(DataParallelRank rank, IReadOnlyList<(int Index, ArraySegment<int> Samples)> mine, long step)
    {
        foreach (var (index, samples) in mine)
        {
            rank.Reducer.BeginMicroBatch();
            var seed = MicroBatchRandom.Seed(_training.Seed, Epoch, step, index);
            Determinism.Reseed(seed);
            yield return new MicroBatch(index, samples, seed);
            rank.Reducer.Keep();
        }
    }
}
