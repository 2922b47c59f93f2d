using TorchSharp;
using Repro.Tests.Doctor;
using static TorchSharp.torch;

namespace Repro.Tests.Distributed;

// DataParallelCheck's training written out per rank over a SimulatedWorld: the seeding the harness does
// (model built after reseeding with the check's seed, training generators reseeded after), the epoch
// order, each rank's micro-batches and the reducer, then the optimizer. Returns every rank's weights.
internal static class SimulatedTraining
{
    internal static List<byte[]>[] Train(int worldSize, DistributedMode mode, int microBatches = 4, long seed = 42, int epochs = 2)
    {
        using var guard = TrainingGuard.Enter($"simulated world of {worldSize}");
        var device = NativeRuntime.EnsureInitialized().IsCuda ? CUDA : CPU;
        var (featureValues, labelValues) = TinyMlp.Data(seed);
        using var features = tensor(featureValues, [TinyMlp.Samples, TinyMlp.Inputs]).to(device);
        using var labels = tensor(labelValues).to(device);
        // Replicas built one after another on this thread: libtorch's generator is process-wide.
        var models = new nn.Module<Tensor, Tensor>[worldSize];
        for (var r = 0; r < worldSize; r++)
        {
            Repro.Advanced.Determinism.Reseed(seed);
            models[r] = TinyMlp.Create();
            models[r].to(device);
        }
        Repro.Advanced.Determinism.Reseed(TrainingHarness.TrainingSeed(seed));
        try
        {
            return new SimulatedWorld(worldSize).Run(communicator =>
            {
                var model = models[communicator.Rank];
                using var optimizer = new ReproAdamW(model, 0.01);
                var split = MicroBatchSplit.Create(microBatches, worldSize);
                using var reducer = new GradientReducer(communicator, optimizer.Flat!, split, mode);
                reducer.BroadcastParameters();
                model.train();
                long step = 0;
                for (var epoch = 1; epoch <= epochs; epoch++)
                    foreach (var batch in EpochOrder.Batches(seed, epoch, TinyMlp.Samples, TinyMlp.BatchSize, dropLast: true))
                    {
                        step++;
                        foreach (var (index, samples) in split.ForRank(batch, communicator.Rank))
                        {
                            reducer.BeginMicroBatch();
                            TinyMlp.Step(model, features, labels, samples, MicroBatchRandom.Seed(seed, epoch, step, index));
                            reducer.Keep();
                        }
                        reducer.Reduce();
                        optimizer.step();
                    }
                return TinyMlp.Weights(model);
            });
        }
        finally
        {
            foreach (var model in models) model.Dispose();
        }
    }
}
