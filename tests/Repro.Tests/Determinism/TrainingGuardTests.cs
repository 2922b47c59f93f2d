using Repro.Xunit;
using Xunit;

namespace Repro.Tests.Determinism;

// The guard is process-wide; while a test holds it, Repro.Advanced.Determinism.Apply elsewhere would fail, so
// these tests run in the serial collection and always release it.
[Collection(ReproCollection.Name)]
public sealed class TrainingGuardTests
{
    [Fact]
    public void Second_entry_fails_and_names_both_trainings_and_the_collection()
    {
        using (TrainingGuard.Enter("first"))
        {
            var ex = Assert.Throws<ReproException>(() => TrainingGuard.Enter("second"));
            Assert.Contains("'second'", ex.Message);
            Assert.Contains("'first'", ex.Message);
            Assert.Contains("[Collection(ReproCollection.Name)]", ex.Message);
            Assert.True(TrainingGuard.IsActive);
        }
        Assert.False(TrainingGuard.IsActive);
    }

    [Fact]
    public void Dispose_releases_and_a_second_dispose_does_not_release_a_later_owner()
    {
        var first = TrainingGuard.Enter("first");
        first.Dispose();
        Assert.False(TrainingGuard.IsActive);
        using (TrainingGuard.Enter("second"))
        {
            first.Dispose();
            Assert.True(TrainingGuard.IsActive);
        }
        Assert.False(TrainingGuard.IsActive);
    }

    [Fact]
    public void Determinism_cannot_change_under_a_running_training()
    {
        using (TrainingGuard.Enter("running"))
        {
            var ex = Assert.Throws<ReproException>(() => Repro.Advanced.Determinism.Apply(new DeterminismOptions()));
            Assert.Contains("'running'", ex.Message);
        }
    }

    [Fact]
    public async Task Two_tasks_entering_at_once_exactly_one_wins()
    {
        for (var round = 0; round < 200; round++)
        {
            using var start = new Barrier(2);
            var wins = 0;
            var losses = 0;
            var holders = new List<IDisposable>();
            async Task Contend(string name)
            {
                await Task.Yield();
                start.SignalAndWait(TestContext.Current.CancellationToken);
                try
                {
                    var handle = TrainingGuard.Enter(name);
                    lock (holders) holders.Add(handle);
                    Interlocked.Increment(ref wins);
                }
                catch (ReproException)
                {
                    Interlocked.Increment(ref losses);
                }
            }
            var token = TestContext.Current.CancellationToken;
            await Task.WhenAll(Task.Run(() => Contend("a"), token), Task.Run(() => Contend("b"), token));
            foreach (var h in holders) h.Dispose();
            Assert.Equal((1, 1), (wins, losses));
            Assert.False(TrainingGuard.IsActive);
        }
    }
}
