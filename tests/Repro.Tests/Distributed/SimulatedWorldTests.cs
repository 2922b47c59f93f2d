using Repro.Xunit;
using Xunit;
using static TorchSharp.torch;

namespace Repro.Tests.Distributed;

[Collection(ReproCollection.Name)]
public sealed class SimulatedWorldTests
{
    [Fact]
    public void Collectives_gather_in_rank_order_broadcast_the_root_and_sum_every_rank()
    {
        NativeRuntime.EnsureInitialized();
        var results = new SimulatedWorld(3).Run(communicator =>
        {
            using var scope = NewDisposeScope();
            var mine = full(2, communicator.Rank + 1f);
            var gathered = zeros(6);
            communicator.AllGather(mine, gathered);
            var root = full(2, communicator.Rank * 10f);
            communicator.Broadcast(root, root: 2);
            var sum = full(2, communicator.Rank + 1f);
            communicator.AllReduceSum(sum);
            return (gathered.data<float>().ToArray(), root.data<float>().ToArray(), sum.data<float>().ToArray());
        });
        foreach (var (gathered, root, sum) in results)
        {
            Assert.Equal([1f, 1f, 2f, 2f, 3f, 3f], gathered);
            Assert.Equal([20f, 20f], root);
            Assert.Equal([6f, 6f], sum);
        }
    }

    [Fact]
    public void A_rank_that_fails_releases_the_others_and_is_named()
    {
        NativeRuntime.EnsureInitialized();
        var error = Assert.Throws<ReproException>(() => new SimulatedWorld(3).Run<int>(communicator =>
        {
            if (communicator.Rank == 1) throw new InvalidOperationException("boom");
            using var buffer = zeros(1);
            communicator.AllReduceSum(buffer);
            return 0;
        }));
        Assert.Contains("rank 1", error.Message);
        Assert.Contains("boom", error.Message);
    }
}
