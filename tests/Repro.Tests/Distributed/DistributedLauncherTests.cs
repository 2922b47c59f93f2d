using Xunit;

namespace Repro.Tests.Distributed;

// The launcher against fake rank processes: what each rank is handed, and what happens when one fails or hangs.
public sealed class DistributedLauncherTests
{
    sealed class FakeProcess(Rendezvous rendezvous, int exitCode, bool hangs) : IRankProcess
    {
        public Rendezvous Rendezvous { get; } = rendezvous;
        public bool Killed { get; private set; }
        public int Rank => Rendezvous.Rank;
        public bool WaitForExit(TimeSpan timeout) => Killed || !hangs;
        public int ExitCode => Killed ? 137 : exitCode;
        public string OutputTail => exitCode == 0 ? "" : "error: rank broke";
        public void Kill() => Killed = true;
        public void Dispose() { }
    }

    // Each started rank reads its rendezvous from the environment it was given, as a real one does.
    sealed class FakeStarter(Func<int, (int Exit, bool Hangs)> behaviour) : IRankStarter
    {
        public List<FakeProcess> Started { get; } = [];

        public IRankProcess Start(Rendezvous rendezvous)
        {
            var environment = rendezvous.ToEnvironment();
            var (exit, hangs) = behaviour(rendezvous.Rank);
            var process = new FakeProcess(Rendezvous.FromEnvironment(n => environment.GetValueOrDefault(n))!, exit, hangs);
            Started.Add(process);
            return process;
        }
    }

    static Repro.Native.Nccl.UniqueId Id()
    {
        var id = new Repro.Native.Nccl.UniqueId();
        ((Span<byte>)id)[5] = 42;
        return id;
    }

    static byte Byte(Repro.Native.Nccl.UniqueId id, int index) => ((ReadOnlySpan<byte>)id)[index];

    [Fact]
    public void Every_rank_gets_its_rank_the_world_size_and_one_shared_unique_id()
    {
        var starter = new FakeStarter(_ => (0, false));
        var split = DistributedLauncher.Validate(4, 8, "check", new DistributedOptions { MicroBatches = 8 });
        var exits = DistributedLauncher.Launch(split, DistributedMode.WorldSizeInvariant, Id, starter, TimeSpan.FromSeconds(5));
        Assert.Equal([0, 1, 2, 3], starter.Started.Select(p => p.Rendezvous.Rank));
        Assert.All(starter.Started, p => Assert.Equal((4, 8, (byte)42), (p.Rendezvous.WorldSize, p.Rendezvous.MicroBatches, Byte(p.Rendezvous.UniqueId, 5))));
        Assert.All(exits, e => Assert.Equal(0, e.ExitCode));
    }

    [Fact]
    public void A_failing_rank_stops_the_others_and_is_named()
    {
        var starter = new FakeStarter(rank => rank == 2 ? (4, false) : (0, true));
        var error = Assert.Throws<ReproException>(() => DistributedLauncher.Launch(MicroBatchSplit.Create(4, 4), DistributedMode.AllReduce, Id, starter, TimeSpan.FromSeconds(30)));
        Assert.Contains("Rank 2 of 4 failed (exit 4)", error.Message);
        Assert.Contains("rank broke", error.Message);
        Assert.All(starter.Started.Where(p => p.Rank != 2), p => Assert.True(p.Killed));
    }

    [Fact]
    public void Ranks_that_hang_past_the_timeout_are_stopped_and_named()
    {
        var starter = new FakeStarter(rank => (0, rank == 1));
        var error = Assert.Throws<ReproException>(() => DistributedLauncher.Launch(MicroBatchSplit.Create(2, 2), DistributedMode.AllReduce, Id, starter, TimeSpan.FromMilliseconds(200)));
        Assert.Contains("Rank(s) 1 of 2 did not finish", error.Message);
        Assert.True(starter.Started[1].Killed);
    }

    [Theory]
    [InlineData(2, 1, 8, "1 GPU is visible here")]
    [InlineData(2, 0, 8, "no GPU is visible here")]
    [InlineData(0, 8, 8, "1 or more")]
    [InlineData(3, 8, 8, "divides 8")]
    [InlineData(8, 8, 4, "--gpus 4 or fewer")]
    [InlineData(2, 8, null, "does not train data-parallel")]
    public void A_launch_that_cannot_work_is_refused_before_any_process_starts(int gpus, int visible, int? microBatches, string message)
    {
        var options = microBatches is { } m ? new DistributedOptions { MicroBatches = m } : null;
        Assert.Contains(message, Assert.Throws<ReproException>(() => DistributedLauncher.Validate(gpus, visible, "check", options)).Message);
    }

    [Fact]
    public void One_rank_needs_no_options_and_no_visible_gpu() => Assert.Equal(1, DistributedLauncher.Validate(1, 0, "check", null).WorldSize);
}
