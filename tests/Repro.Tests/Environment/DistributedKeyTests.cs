using Xunit;

namespace Repro.Tests.Environments; // not ".Environment": that would hide System.Environment from every test

// The world size enters a key only where it changes the numbers (a plain all-reduce on more than one GPU), and
// a one-process environment writes none of the distributed fields, so every existing key and file stays as it was.
public sealed class DistributedKeyTests
{
    static EnvironmentFingerprint Ranks(int worldSize, DistributedMode mode, string device = "cuda") =>
        BaselineFiles.Environment(device, "NVIDIA H200") with { WorldSize = worldSize, DistributedMode = Rendezvous.ModeName(mode), NcclAlgorithm = "Ring", NcclProtocol = "Simple" };

    [Theory]
    [InlineData(2, "nvidia-h200-gpus2/cuda-13.0")]
    [InlineData(8, "nvidia-h200-gpus8/cuda-13.0")]
    public void A_plain_all_reduce_names_its_world_size(int worldSize, string key) =>
        Assert.Equal(key, Ranks(worldSize, DistributedMode.AllReduce).Key);

    [Fact]
    public void The_world_size_invariant_mode_shares_the_one_gpu_key() =>
        Assert.Equal(BaselineFiles.Environment("cuda", "NVIDIA H200").Key, Ranks(8, DistributedMode.WorldSizeInvariant).Key);

    [Fact]
    public void Cpu_keys_take_the_suffix_on_their_first_part() =>
        Assert.EndsWith("-gpus4", Ranks(4, DistributedMode.AllReduce, "cpu").Key.Split('/')[0]);

    [Fact]
    public void One_process_writes_no_distributed_field_and_several_write_them_all()
    {
        var single = ReproJson.Serialize(BaselineFiles.Environment("cuda", "NVIDIA H200"));
        foreach (var field in new[] { "worldSize", "distributedMode", "collectives", "ncclAlgorithm", "ncclProtocol" })
            Assert.DoesNotContain($"\"{field}\"", single, StringComparison.Ordinal);
        var several = ReproJson.Serialize(Ranks(2, DistributedMode.AllReduce));
        Assert.Contains("\"worldSize\": 2", several, StringComparison.Ordinal);
        Assert.Contains("\"ncclAlgorithm\": \"Ring\"", several, StringComparison.Ordinal);
        Assert.Equal(Ranks(2, DistributedMode.AllReduce), ReproJson.Deserialize<EnvironmentFingerprint>(several));
    }
}
