using Repro.Xunit;
using Xunit;
using Repro.Tests.Doctor;

namespace Repro.Tests.Distributed;

// The harness as rank r of N, with a stand-in communicator: the run records the world in its environment,
// the all-reduce mode's key names the GPU count and the invariant mode's does not, the rank trains on its own
// block of micro-batches, and what N > 1 ranks cannot do yet is refused before training.
[Collection(ReproCollection.Name)]
public sealed class HarnessRankTests
{
    [Theory]
    [InlineData(DistributedMode.AllReduce, "-gpus2/")]
    [InlineData(DistributedMode.WorldSizeInvariant, "/")]
    public void A_rank_of_two_records_the_world_and_only_the_all_reduce_key_names_it(DistributedMode mode, string keyPart)
    {
        var communicator = new MirrorCommunicator(1, 2);
        using var result = TrainingHarness.Run(new DataParallelCheck { Mode = mode }, null, null, null, communicator);
        var environment = result.Run.Environment;
        Assert.Equal(2, environment.WorldSize);
        Assert.Equal(Rendezvous.ModeName(mode), environment.DistributedMode);
        Assert.Equal(("Ring", "Simple"), (environment.NcclAlgorithm, environment.NcclProtocol));
        var firstPart = environment.Key.Split('/')[0] + "/";
        Assert.EndsWith(keyPart, firstPart);
        if (mode == DistributedMode.WorldSizeInvariant)
        {
            Assert.Equal((environment with { WorldSize = null, DistributedMode = null, Collectives = null, NcclAlgorithm = null, NcclProtocol = null }).Key, environment.Key);
            // One partial sum per step went to the other rank: 3 steps x 2 epochs.
            Assert.Equal(6, communicator.Gathers);
        }
        // Rank 1 of 2 computed micro-batches 2 and 3 only, so its weights are not the world of one's.
        Assert.NotEqual(SimulatedTraining.Train(1, mode)[0], TinyMlp.Weights(result.Model));
    }

    [Fact]
    public void Checkpoints_of_several_ranks_are_refused_before_training()
    {
        using var folder = new TempFolder();
        var error = Assert.Throws<ReproException>(() => TrainingHarness.Run(new DataParallelCheck(), null, null, new CheckpointOptions { Directory = folder.Path, EveryEpochs = 1 }, new MirrorCommunicator(0, 2)));
        Assert.Contains("not written yet", error.Message);
    }

    sealed class TempFolder : IDisposable
    {
        internal string Path { get; } = Directory.CreateTempSubdirectory("repro-ranks-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
