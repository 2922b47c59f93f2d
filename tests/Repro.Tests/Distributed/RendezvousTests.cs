using Xunit;

namespace Repro.Tests.Distributed;

public sealed class RendezvousTests
{
    static Repro.Native.Nccl.UniqueId Id(byte fill)
    {
        var id = new Repro.Native.Nccl.UniqueId();
        ((Span<byte>)id).Fill(fill);
        ((Span<byte>)id)[0] = 1;
        return id;
    }

    [Fact]
    public void What_the_launcher_writes_a_rank_reads_back()
    {
        var sent = new Rendezvous(2, 4, Id(0xab), DistributedMode.AllReduce, 8);
        var environment = sent.ToEnvironment();
        var read = Rendezvous.FromEnvironment(name => environment.GetValueOrDefault(name))!;
        Assert.Equal((2, 4, DistributedMode.AllReduce, 8), (read.Rank, read.WorldSize, read.Mode, read.MicroBatches));
        var (sentId, readId) = (sent.UniqueId, read.UniqueId);
        Assert.Equal(((ReadOnlySpan<byte>)sentId).ToArray(), ((ReadOnlySpan<byte>)readId).ToArray());
        Assert.Equal(256, environment[Rendezvous.UniqueIdVariable].Length);
    }

    [Fact]
    public void A_process_nobody_launched_is_no_rank() => Assert.Null(Rendezvous.FromEnvironment(_ => null));

    [Theory]
    [InlineData(Rendezvous.RankVariable, "4", "outside REPRO_WORLD_SIZE=4")]
    [InlineData(Rendezvous.RankVariable, "-1", "whole number")]
    [InlineData(Rendezvous.UniqueIdVariable, "abcd", "256 hex digits")]
    [InlineData(Rendezvous.ModeVariable, "ring", "not a mode")]
    [InlineData(Rendezvous.WorldSizeVariable, null, "set together")]
    public void A_damaged_rendezvous_is_an_error_naming_the_variable(string variable, string? value, string message)
    {
        var environment = new Dictionary<string, string?>(new Rendezvous(1, 4, Id(7), DistributedMode.WorldSizeInvariant, 8).ToEnvironment().Select(p => KeyValuePair.Create(p.Key, (string?)p.Value)))
        {
            [variable] = value,
        };
        Assert.Contains(message, Assert.Throws<ReproException>(() => Rendezvous.FromEnvironment(name => environment.GetValueOrDefault(name))).Message);
    }
}
