using Repro.Xunit;
using Xunit;

namespace Repro.Tests.Distributed;

// Issue 25's moonshot, proven on the CPU: the world-size-invariant mode gives the same weights on 1, 2
// and 4 ranks (threads of one process standing for GPUs), every rank holds them, and the harness's own
// data-parallel path on one device gives them too.
[Collection(ReproCollection.Name)]
public sealed class DataParallelTrainingTests
{
    [Fact]
    public void The_world_size_invariant_mode_gives_the_bits_of_one_rank_on_two_and_four()
    {
        var one = SimulatedTraining.Train(1, DistributedMode.WorldSizeInvariant);
        foreach (var worldSize in new[] { 2, 4 })
        {
            var ranks = SimulatedTraining.Train(worldSize, DistributedMode.WorldSizeInvariant);
            Assert.Equal(worldSize, ranks.Length);
            foreach (var rank in ranks) Assert.Equal(one[0], rank);
        }
        // It can fail: another micro-batch count cuts other micro-batches and moves the weights.
        Assert.NotEqual(one[0], SimulatedTraining.Train(1, DistributedMode.WorldSizeInvariant, microBatches: 2)[0]);
    }

    [Fact]
    public void The_harness_trains_a_data_parallel_check_on_one_device_to_the_simulated_worlds_bits()
    {
        using var result = TrainingHarness.Run(new DataParallelCheck());
        var harness = TinyMlp.Weights(result.Model);
        Assert.Equal(SimulatedTraining.Train(2, DistributedMode.WorldSizeInvariant)[1], harness);
        // One device records no distributed fields, so its key and environment are what they always were.
        Assert.Null(result.Run.Environment.WorldSize);
        Assert.DoesNotContain("worldSize", ReproJson.Serialize(result.Run.Environment), StringComparison.Ordinal);
        Assert.Equal(3 * 2, result.Run.Fingerprint.OptimizerSteps);
    }

    // What makes nn.Dropout world-size-invariant: each micro-batch draws from torch's generator seeded with its own
    // seed, so draws a rank made before it (other micro-batches, anything else) do not reach its masks.
    [Fact]
    public void A_micro_batchs_draws_from_torchs_generator_do_not_depend_on_what_ran_before_it()
    {
        static List<byte[]> Train(string? extraDraws)
        {
            using var result = TrainingHarness.Run(new DataParallelCheck { ModuleDropout = true, ExtraDraws = extraDraws });
            return TinyMlp.Weights(result.Model);
        }
        var plain = Train(null);
        Assert.Equal(plain, Train("before"));
        // It can fail: a draw after the harness seeded the micro-batch moves its dropout mask.
        Assert.NotEqual(plain, Train("inside"));
    }

    [Fact]
    public void Several_ranks_refuse_buffers_a_forward_updates_and_name_the_fix()
    {
        NativeRuntime.EnsureInitialized();
        using var model = TorchSharp.torch.nn.Sequential(("norm", TorchSharp.torch.nn.BatchNorm1d(4)), ("head", TorchSharp.torch.nn.Linear(4, 2)));
        DataParallelRank.CheckBuffers("bn", model, 1);
        var error = Assert.Throws<ReproException>(() => DataParallelRank.CheckBuffers("bn", model, 2));
        Assert.Contains("norm.running_mean", error.Message);
        Assert.Contains("track_running_stats", error.Message);
        using var plain = TinyMlp.Create();
        DataParallelRank.CheckBuffers("mlp", plain, 8);
    }

    [Fact]
    public void The_all_reduce_mode_keeps_every_rank_identical()
    {
        var ranks = SimulatedTraining.Train(4, DistributedMode.AllReduce);
        foreach (var rank in ranks[1..]) Assert.Equal(ranks[0], rank);
    }
}
