namespace Repro;

// This process's part of a data-parallel training: the communicator (NCCL when a launcher started it as a
// rank, a world of one otherwise, or the one a test gives), the micro-batch split and the gradient reducer
// over the optimizer's flat buffers. Built once the optimizer exists; its parameters start as rank 0's.
internal sealed class DataParallelRank : IDisposable
{
    DataParallelRank(ICommunicator communicator, MicroBatchSplit split, GradientReducer reducer, DistributedMode mode)
    {
        Communicator = communicator;
        Split = split;
        Reducer = reducer;
        Mode = mode;
    }

    internal ICommunicator Communicator { get; }

    internal MicroBatchSplit Split { get; }

    internal GradientReducer Reducer { get; }

    internal DistributedMode Mode { get; }

    internal int Rank => Communicator.Rank;

    internal int WorldSize => Communicator.WorldSize;

    // Null for a check that does not train data-parallel (and was not launched as a rank).
    internal static DataParallelRank? Create(TrainingCheck check, TrainingContext context, ICommunicator? communicator = null)
    {
        var options = check.Distributed;
        var rendezvous = communicator is null ? Rendezvous.FromEnvironment(System.Environment.GetEnvironmentVariable) : null;
        if (options is null)
        {
            if (rendezvous is { WorldSize: > 1 } || communicator is { WorldSize: > 1 })
                throw new ReproException($"The check '{check.Name}' was started as one of several ranks, but it does not train data-parallel: " +
                    "give it a DistributedOptions (TrainingCheck.Distributed) or train without --gpus.");
            return null;
        }
        options.Validate();
        if (rendezvous is not null && (rendezvous.Mode != options.Mode || rendezvous.MicroBatches != options.MicroBatches))
            throw new ReproException($"The launcher validated {Rendezvous.ModeName(rendezvous.Mode)} with {rendezvous.MicroBatches} micro-batches, " +
                $"but this process's check '{check.Name}' declares {Rendezvous.ModeName(options.Mode)} with {options.MicroBatches}: the ranks built different checks. Rebuild and launch again.");
        var flat = (context.Optimizer as ReproAdamW)?.Flat
            ?? throw new ReproException($"The check '{check.Name}' trains data-parallel, which reduces the flat gradient buffer once per step: " +
                $"build its optimizer as ReproAdamW with the flat layout (the default), not {context.Optimizer.GetType().Name}.");
        var split = MicroBatchSplit.Create(options.MicroBatches, communicator?.WorldSize ?? rendezvous?.WorldSize ?? 1);
        CheckBuffers(check.Name, context.Model, split.WorldSize);
        communicator ??= rendezvous is null ? new SingleRank() : NcclCommunicator.Join(rendezvous);
        var reducer = new GradientReducer(communicator, flat, split, options.Mode);
        reducer.BroadcastParameters();
        return new DataParallelRank(communicator, split, reducer, options.Mode);
    }

    // Buffers a forward updates (BatchNorm's running statistics) would follow each rank's own micro-batches: the
    // ranks would drift apart and away from one GPU's numbers. Until they are reduced too, several ranks refuse them.
    internal static void CheckBuffers(string checkName, TorchSharp.torch.nn.Module model, int worldSize)
    {
        if (worldSize == 1) return;
        var updated = model.named_buffers().Where(b => b.buffer.is_floating_point()).Select(b => b.name).ToList();
        if (updated.Count > 0)
            throw new ReproException($"The check '{checkName}' has floating-point buffers ({string.Join(", ", updated.Take(3))}{(updated.Count > 3 ? ", ..." : "")}), " +
                $"such as BatchNorm's running statistics, which each of {worldSize} ranks would update from its own micro-batches only: its ranks would disagree. " +
                "Data-parallel training reduces gradients, not buffers, yet: use normalisation without running statistics (LayerNorm, GroupNorm, or BatchNorm with track_running_stats: false), " +
                "or train on one GPU.");
    }

    // What the environment fingerprint records when several ranks trained; nothing for a world of one.
    internal EnvironmentFingerprint Record(EnvironmentFingerprint environment) => WorldSize == 1 ? environment : environment with
    {
        WorldSize = WorldSize,
        DistributedMode = Rendezvous.ModeName(Mode),
        Collectives = Communicator.Description,
        NcclAlgorithm = Communicator.Algorithm,
        NcclProtocol = Communicator.Protocol,
    };

    public void Dispose()
    {
        Reducer.Dispose();
        Communicator.Dispose();
    }
}
