using static TorchSharp.torch;

namespace Repro;

// N ranks as N threads of one process sharing buffers: the communicator the CPU tests train through.
// Its collectives meet at a barrier as NCCL's do. Its all-reduce adds in rank order, which is one of
// the orders a real all-reduce might take, not NCCL's: only the world-size-invariant path (all-gather,
// which copies, then the fixed tree) stands for what the GPUs do bit for bit.
internal sealed class SimulatedWorld
{
    readonly Tensor?[] _slots;
    readonly Barrier _barrier;
    readonly CancellationTokenSource _failed = new();

    internal SimulatedWorld(int worldSize)
    {
        if (worldSize < 1) throw new ReproException($"A simulated world of {worldSize} ranks: use 1 or more.");
        WorldSize = worldSize;
        _slots = new Tensor?[worldSize];
        _barrier = new Barrier(worldSize);
    }

    internal int WorldSize { get; }

    // Runs body once per rank, each on its own thread, and returns their results in rank order. A rank
    // that throws releases the others from the barrier; the first failure is rethrown.
    internal T[] Run<T>(Func<ICommunicator, T> body)
    {
        var results = new T[WorldSize];
        var errors = new Exception?[WorldSize];
        var threads = Enumerable.Range(0, WorldSize).Select(rank => new Thread(() =>
        {
            try
            {
                using var communicator = new RankCommunicator(this, rank);
                results[rank] = body(communicator);
            }
            catch (Exception ex)
            {
                errors[rank] = ex;
                _failed.Cancel();
            }
        }, maxStackSize: 16 << 20) { Name = $"simulated rank {rank}" }).ToArray();
        foreach (var thread in threads) thread.Start();
        foreach (var thread in threads) thread.Join();
        var first = errors.Select((e, r) => (e, r)).FirstOrDefault(x => x.e is not null and not OperationCanceledException);
        if (first.e is not null) throw new ReproException($"Simulated rank {first.r} failed: {first.e.Message}", first.e);
        if (errors.FirstOrDefault(e => e is not null) is { } cancelled) throw new ReproException($"A simulated rank was cancelled: {cancelled.Message}", cancelled);
        return results;
    }

    void Meet() => _barrier.SignalAndWait(_failed.Token);

    sealed class RankCommunicator(SimulatedWorld world, int rank) : ICommunicator
    {
        public int Rank => rank;

        public int WorldSize => world.WorldSize;

        public string Description => $"simulated ({world.WorldSize} threads)";

        public string? Algorithm => null;

        public string? Protocol => null;

        public void AllReduceSum(Tensor buffer)
        {
            using var noGrad = no_grad();
            using var mine = buffer.clone();
            world._slots[rank] = mine;
            world.Meet();
            using var sum = world._slots[0]!.clone();
            for (var r = 1; r < world.WorldSize; r++) sum.add_(world._slots[r]!);
            world.Meet();
            buffer.copy_(sum);
        }

        public void AllGather(Tensor send, Tensor receive)
        {
            var n = send.NumberOfElements;
            if (receive.NumberOfElements != n * world.WorldSize)
                throw new ReproException($"All-gather of {n} elements into {receive.NumberOfElements}: the receive buffer needs {n * world.WorldSize}.");
            using var noGrad = no_grad();
            world._slots[rank] = send;
            world.Meet();
            using var flat = receive.view(-1);
            for (var r = 0; r < world.WorldSize; r++)
            {
                using var part = flat.narrow(0, r * n, n);
                using var source = world._slots[r]!.reshape(-1);
                part.copy_(source);
            }
            world.Meet();
        }

        public void Broadcast(Tensor buffer, int root)
        {
            if (root < 0 || root >= world.WorldSize) throw new ReproException($"Broadcast root {root} is outside a world of {world.WorldSize}.");
            using var noGrad = no_grad();
            world._slots[rank] = buffer;
            world.Meet();
            if (rank != root) buffer.copy_(world._slots[root]!);
            world.Meet();
        }

        public void Dispose() { }
    }
}
