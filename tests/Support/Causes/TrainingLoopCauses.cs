using System.Collections.Concurrent;
using static TorchSharp.torch;

namespace Repro.Tests.Support.Causes;

// Mistakes around model construction and the training loop of a user's check.

/// <summary>The model is built after <c>torch.random.seed()</c>: initial weights from an unseeded generator.</summary>
public sealed class UnseededInit : RegressionCheck
{
    protected internal override nn.Module CreateModel(TrainingContext context)
    {
        random.seed();
        return base.CreateModel(context);
    }
}

/// <summary>The DataLoader pitfall: one shuffling generator per process, shared by every training.</summary>
public sealed class StaticShuffleGenerator : RegressionCheck
{
    static readonly Random Shuffler = new(42);

    protected override int[] EpochOrder(EpochContext context, int count)
    {
        var order = Enumerable.Range(0, count).ToArray();
        lock (Shuffler) Shuffler.Shuffle(order);
        context.RecordOrder(order);
        return order;
    }
}

/// <summary>Augmentation noise added by parallel workers, each with its own unseeded generator.</summary>
public sealed class UnseededAugmentationWorkers : RegressionCheck
{
    protected override Tensor PrepareBatch(Tensor inputs, EpochContext context)
    {
        var values = inputs.cpu().data<float>().ToArray();
        using var generators = new ThreadLocal<Random>(() => new Random());
        var workers = new ParallelOptions { MaxDegreeOfParallelism = context.Training.DataWorkers(4) };
        Parallel.For(0, values.Length, workers, i => values[i] += (float)(1e-3 * (generators.Value!.NextDouble() - 0.5)));
        return tensor(values, inputs.shape).to(inputs.device);
    }
}

/// <summary>A second training started on another thread while the first runs (what a parallel test runner does).</summary>
public sealed class ConcurrentTraining : RegressionCheck
{
    protected internal override string? PrepareData(TrainingContext context)
    {
        Task.Run(() => TrainingHarness.Train(new RegressionCheck())).GetAwaiter().GetResult();
        return base.PrepareData(context);
    }
}

/// <summary>One extra random draw in evaluation (a "random validation subset" of size 1, a dropout left on for logging...).</summary>
public sealed class RandomDrawInEvaluation : RegressionCheck
{
    // Compared with the clean check's baseline: the same name and settings, one line of difference.
    public override string Name => nameof(RegressionCheck);

    protected override double Validate(EpochContext context)
    {
        using var draw = rand(1);
        return base.Validate(context);
    }
}

/// <summary>
/// Batches prepared in parallel with <c>Task.Run</c>, collected in a <c>ConcurrentBag</c> and trained in the
/// bag's order: the planned order is the seeded one, the trained order is whatever the threads made of it.
/// Each batch takes its own time to load (a short await, as reading it from a file would).
/// </summary>
public sealed class BatchesInCompletionOrder : RegressionCheck
{
    protected override IEnumerable<ArraySegment<int>> StepBatches(int[] order)
    {
        var prepared = new ConcurrentBag<ArraySegment<int>>();
        Task.WaitAll([.. base.StepBatches(order).Select(batch => Task.Run(async () =>
        {
            await Task.Delay(batch[0] % 4 * 3);
            prepared.Add(new ArraySegment<int>([.. batch]));
        }))]);
        return prepared;
    }
}

/// <summary>Input jitter from <c>Random.Shared</c> in batch preparation (no workers).</summary>
public sealed class RandomSharedJitter : RegressionCheck
{
    protected override Tensor PrepareBatch(Tensor inputs, EpochContext context)
    {
        var values = inputs.cpu().data<float>().ToArray();
        for (var i = 0; i < values.Length; i++) values[i] += (float)(1e-3 * (Random.Shared.NextDouble() - 0.5));
        return tensor(values, inputs.shape).to(inputs.device);
    }
}

/// <summary>The epoch shuffled with <c>OrderBy(_ => Guid.NewGuid())</c>, the order never recorded.</summary>
public sealed class GuidShuffle : RegressionCheck
{
    protected override int[] EpochOrder(EpochContext context, int count) => [.. Enumerable.Range(0, count).OrderBy(_ => Guid.NewGuid())];
}

/// <summary>"A fresh seed every epoch": <c>torch.manual_seed(Environment.TickCount)</c> at the start of each epoch.</summary>
public sealed class TickCountSeedEachEpoch : RegressionCheck
{
    protected internal override Metrics TrainEpoch(EpochContext context)
    {
        manual_seed(Environment.TickCount);
        return base.TrainEpoch(context);
    }
}
