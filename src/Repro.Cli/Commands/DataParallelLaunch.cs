using System.CommandLine;

namespace Repro.Cli.Commands;

// 'repro run --gpus N': validated against the visible GPUs and the check's micro-batches before any work;
// N above 1 starts this same command once per rank (less --gpus) and waits for them. Rank 0 writes --out.
internal static class DataParallelLaunch
{
    internal static readonly Option<int?> Gpus = new("--gpus")
    {
        Description = "Train data-parallel on N GPUs, one process per GPU (a check that declares TrainingCheck.Distributed; docs/distributed.md). 1 trains in this process on the check's device.",
        HelpName = "n",
    };

    // The launch's exit code when N > 1 ranks ran; null when this process trains (no --gpus, or --gpus 1).
    internal static int? Run(ParseResult result, Output output, CliCheck check, CheckpointOptions? checkpoints, Func<int> visibleGpus)
    {
        if (result.GetValue(Gpus) is not { } gpus) return null;
        DistributedLauncher.Validate(gpus, visibleGpus(), check.Name, DistributedOf(check));
        if (gpus == 1) return null;
        if (checkpoints is not null)
            throw new ReproException($"--gpus {gpus} with checkpoint options: checkpoints of a data-parallel run are not written yet; train without them, or with --gpus 1.");
        if (result.GetValue(CliOptions.ValidateOnly))
        {
            output.Line($"Valid: {check.Name} would train on {gpus} GPUs. Nothing was trained (--validate-only).");
            return ExitCodes.Pass;
        }
        var split = MicroBatchSplit.Create(DistributedOf(check)!.MicroBatches, gpus);
        var cli = typeof(DataParallelLaunch).Assembly.Location;
        var starter = new ProcessRankStarter(cli, WithoutGpus(System.Environment.GetCommandLineArgs()[1..]));
        output.Line($"Starting {gpus} ranks of {check.Name} ({Rendezvous.ModeName(DistributedOf(check)!.Mode)}, {split.MicroBatches} micro-batches, {split.PerRank} per rank)...");
        var exits = DistributedLauncher.Launch(split, DistributedOf(check)!.Mode, Native.Nccl.GetUniqueId, starter, TimeSpan.FromHours(24));
        output.Line($"All {exits.Count} ranks finished.");
        return ExitCodes.Pass;
    }

    static DistributedOptions? DistributedOf(CliCheck check)
    {
        using var probe = check.Create();
        return probe.Distributed;
    }

    // The command line again for a rank: everything but --gpus and its value.
    internal static List<string> WithoutGpus(IReadOnlyList<string> arguments)
    {
        var kept = new List<string>();
        for (var i = 0; i < arguments.Count; i++)
        {
            if (arguments[i] == Gpus.Name) { i++; continue; }
            if (arguments[i].StartsWith(Gpus.Name + "=", StringComparison.Ordinal)) continue;
            kept.Add(arguments[i]);
        }
        return kept;
    }

    // CUDA devices this process can see; 0 on a CPU libtorch.
    internal static int VisibleGpus() => NativeRuntime.EnsureInitialized().IsCuda ? (int)TorchSharp.torch.cuda.device_count() : 0;

    // A rank other than 0 trains like the others but leaves the files to rank 0.
    internal static bool WritesOutput() => System.Environment.GetEnvironmentVariable(Rendezvous.RankVariable) is not { Length: > 0 } rank || rank == "0";
}
