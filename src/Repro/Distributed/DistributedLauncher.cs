namespace Repro;

// 'repro run --gpus N': checks N against the visible GPUs and the check's micro-batches before anything
// starts, makes one NCCL unique id, starts one process per rank with it, and waits for all of them. A rank
// that fails or hangs stops the others (a collective would wait for it forever) and is named.
internal static class DistributedLauncher
{
    internal sealed record RankExit(int Rank, int ExitCode, string OutputTail);

    // Everything that can be wrong before a process starts, as one error naming the fix.
    internal static MicroBatchSplit Validate(int gpus, int visibleGpus, string checkName, DistributedOptions? options)
    {
        if (gpus < 1) throw new ReproException($"--gpus {gpus}: give the number of GPUs to train on, 1 or more.");
        // One rank trains in this process on the check's own device (the CPU included): nothing to share.
        if (gpus > 1 && gpus > visibleGpus)
            throw new ReproException($"--gpus {gpus} asks for {gpus} GPUs, " +
                $"but {(visibleGpus == 0 ? "no GPU is" : visibleGpus == 1 ? "1 GPU is" : $"{visibleGpus} GPUs are")} visible here (nvidia-smi, CUDA_VISIBLE_DEVICES); " +
                $"use --gpus {Math.Max(1, visibleGpus)} or a machine with more GPUs.");
        if (options is null)
        {
            if (gpus == 1) return MicroBatchSplit.Create(1, 1);
            throw new ReproException($"The check '{checkName}' does not train data-parallel: " +
                "give it 'public override DistributedOptions? Distributed => new() { MicroBatches = 8 };' and cut its batches with context.MicroBatches(batch) (docs/distributed.md), " +
                "or train on one GPU.");
        }
        options.Validate();
        try
        {
            return MicroBatchSplit.Create(options.MicroBatches, gpus);
        }
        catch (ReproException ex)
        {
            throw new ReproException($"--gpus {gpus} does not fit the check '{checkName}': {ex.Message}", ex);
        }
    }

    internal static IReadOnlyList<RankExit> Launch(MicroBatchSplit split, DistributedMode mode, Func<Native.Nccl.UniqueId> uniqueId, IRankStarter starter, TimeSpan timeout)
    {
        var id = uniqueId();
        var processes = new List<IRankProcess>();
        try
        {
            for (var rank = 0; rank < split.WorldSize; rank++)
                processes.Add(starter.Start(new Rendezvous(rank, split.WorldSize, id, mode, split.MicroBatches)));
            var deadline = DateTime.UtcNow + timeout;
            var exits = new RankExit?[split.WorldSize];
            // Poll all ranks so the first failure is seen while the others still wait in a collective.
            while (exits.Any(e => e is null))
            {
                foreach (var process in processes.Where(p => exits[p.Rank] is null))
                {
                    if (!process.WaitForExit(TimeSpan.FromMilliseconds(50))) continue;
                    exits[process.Rank] = new RankExit(process.Rank, process.ExitCode, process.OutputTail);
                    if (process.ExitCode != 0)
                    {
                        StopOthers(processes, exits);
                        throw new ReproException($"Rank {process.Rank} of {split.WorldSize} failed (exit {process.ExitCode}); the other ranks were stopped. {process.OutputTail}".TrimEnd());
                    }
                }
                if (DateTime.UtcNow > deadline && exits.Any(e => e is null))
                {
                    var waiting = string.Join(", ", Enumerable.Range(0, split.WorldSize).Where(r => exits[r] is null));
                    StopOthers(processes, exits);
                    throw new ReproException($"Rank(s) {waiting} of {split.WorldSize} did not finish within {timeout} and were stopped; " +
                        "a rank that hangs in a collective usually means another rank never joined (NCCL_DEBUG=INFO says more).");
                }
            }
            return [.. exits.Select(e => e!)];
        }
        finally
        {
            foreach (var process in processes) process.Dispose();
        }
    }

    static void StopOthers(List<IRankProcess> processes, RankExit?[] exits)
    {
        foreach (var process in processes.Where(p => exits[p.Rank] is null)) process.Kill();
    }
}
