using Repro.Xunit;
using Xunit;
using static TorchSharp.torch;

namespace Repro.Tests.Distributed;

[Collection(ReproCollection.Name)]
public sealed class NcclTests
{
    [Fact]
    public void A_missing_nccl_is_an_error_that_says_where_it_looked_and_the_fix()
    {
        var saved = System.Environment.GetEnvironmentVariable(Repro.Native.Nccl.LibraryVariable);
        System.Environment.SetEnvironmentVariable(Repro.Native.Nccl.LibraryVariable, "/nonexistent/libnccl.so.2");
        try
        {
            if (Repro.Native.Nccl.IsLoaded) Assert.Skip("NCCL is already loaded in this process (a GPU test ran first); the missing-library path cannot be reached.");
            var error = Assert.Throws<ReproException>(() => Repro.Native.Nccl.GetUniqueId());
            Assert.Contains("/nonexistent/libnccl.so.2", error.Message);
            Assert.Contains("nvidia/nccl/lib", error.Message);
        }
        finally
        {
            System.Environment.SetEnvironmentVariable(Repro.Native.Nccl.LibraryVariable, saved);
        }
    }

    [Fact]
    public void Nccl_is_looked_for_beside_libtorch_and_in_the_pytorch_wheel()
    {
        var saved = System.Environment.GetEnvironmentVariable(Repro.Native.Nccl.LibraryVariable);
        System.Environment.SetEnvironmentVariable(Repro.Native.Nccl.LibraryVariable, null);
        try
        {
            var candidates = Repro.Native.Nccl.Candidates().ToList();
            Assert.Equal("libnccl.so.2", candidates[^1]);
        }
        finally
        {
            System.Environment.SetEnvironmentVariable(Repro.Native.Nccl.LibraryVariable, saved);
        }
    }

    [Fact]
    public void A_list_of_algorithms_is_refused_because_nccl_would_choose_per_call()
    {
        var saved = Repro.Native.LibC.GetEnv(NcclSettings.Algorithm);
        Repro.Native.LibC.SetEnv(NcclSettings.Algorithm, "Ring,Tree");
        try
        {
            Assert.Contains("set one value", Assert.Throws<ReproException>(() => NcclSettings.Apply()).Message);
        }
        finally
        {
            Repro.Native.LibC.SetOrUnsetEnv(NcclSettings.Algorithm, saved);
        }
    }

    // One GPU, world size 1 through real NCCL: the collectives do what they say, and the harness's data-parallel
    // check trained as rank 0 of a world of one over NCCL gives the bits of the same check without NCCL.
    [GpuFact]
    public void Nccl_with_one_rank_gives_the_bits_of_training_without_it()
    {
        NativeRuntime.Initialize(DeviceRequest.Cuda);
        using (var communicator = NcclCommunicator.Join(new Rendezvous(0, 1, Repro.Native.Nccl.GetUniqueId(), DistributedMode.WorldSizeInvariant, 4)))
        {
            using var scope = NewDisposeScope();
            var buffer = arange(6, dtype: ScalarType.Float32, device: CUDA);
            communicator.AllReduceSum(buffer);
            var gathered = zeros(6, device: CUDA);
            communicator.AllGather(buffer, gathered);
            communicator.Broadcast(buffer, 0);
            Assert.Equal(arange(6, dtype: ScalarType.Float32).data<float>().ToArray(), gathered.cpu().data<float>().ToArray());
            Assert.Contains("NCCL_ALGO=Ring", communicator.Description);
            Assert.Equal("0", Repro.Native.LibC.GetEnv(NcclSettings.Nvls));
        }
        foreach (var mode in new[] { DistributedMode.WorldSizeInvariant, DistributedMode.AllReduce })
            Assert.Equal(Train(mode, overNccl: false), Train(mode, overNccl: true));
        Assert.Equal(SimulatedTraining.Train(2, DistributedMode.WorldSizeInvariant)[0], Train(DistributedMode.WorldSizeInvariant, overNccl: true));
    }

    // The launcher's real path on one GPU: a fresh CLI process started as rank 0 of 1 with the unique id this
    // process made, joining NCCL through it, trains the check and (as rank 0) writes the run: the model hash of
    // the same check trained here without NCCL.
    [GpuFact]
    public void The_launcher_starts_a_rank_that_joins_nccl_through_the_unique_id_it_was_handed()
    {
        NativeRuntime.Initialize(DeviceRequest.Cuda);
        var cli = ChildProcessRun.CliPath(null) ?? throw new InvalidOperationException("Repro.Cli.dll is not beside the tests.");
        var folder = Directory.CreateTempSubdirectory("repro-rank-");
        try
        {
            var outPath = Path.Combine(folder.FullName, "rank0.json");
            var starter = new ProcessRankStarter(cli, ["run", "--assembly", typeof(DataParallelCheck).Assembly.Location, "--check", typeof(DataParallelCheck).FullName!, "--out", outPath]);
            var exits = DistributedLauncher.Launch(MicroBatchSplit.Create(4, 1), DistributedMode.WorldSizeInvariant, Repro.Native.Nccl.GetUniqueId, starter, TimeSpan.FromMinutes(5));
            Assert.Equal(0, Assert.Single(exits).ExitCode);
            var launched = BaselineStore.Read(outPath);
            Assert.Equal(TrainingHarness.Train(new DataParallelCheck()).Fingerprint.ModelHash, launched.Fingerprint.ModelHash);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    static List<byte[]> Train(DistributedMode mode, bool overNccl)
    {
        var variables = overNccl ? new Rendezvous(0, 1, Repro.Native.Nccl.GetUniqueId(), mode, 4).ToEnvironment() : new Dictionary<string, string>();
        foreach (var (name, value) in variables) System.Environment.SetEnvironmentVariable(name, value);
        try
        {
            using var result = TrainingHarness.Run(new DataParallelCheck { Mode = mode });
            return TinyMlp.Weights(result.Model);
        }
        finally
        {
            foreach (var name in variables.Keys) System.Environment.SetEnvironmentVariable(name, null);
        }
    }
}
