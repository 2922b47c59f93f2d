using BenchmarkDotNet.Running;
using Repro.Bench;

// bench/Repro.Bench: `micro` runs the BenchmarkDotNet CPU benchmarks; the other modes are plain
// timed runners that print median/min/max and ratios measured side by side in one process.
var mode = args.FirstOrDefault() ?? "help";
switch (mode)
{
    case "micro":
        BenchmarkSwitcher.FromAssembly(typeof(HashingBenchmarks).Assembly).Run(args[1..]);
        break;
    case "hash":
        HashingRunner.Run(args[1..]);
        break;
    case "step":
        StepRunner.Run(args[1..]);
        break;
    case "epoch":
        EpochRunner.Run(args[1..]);
        break;
    case "tracing":
        TracingRunner.Run(args[1..]);
        break;
    case "flat":
        FlatRunner.Run(args[1..]);
        break;
    case "trace":
        TraceCostRunner.Run(args[1..]);
        break;
    case "data":
        DataRunner.Run(args[1..]);
        break;
    case "distributed":
        DistributedRunner.Run(args[1..]);
        break;
    case "cpu-profile":
        CpuProfileRunner.Run(args[1..]);
        break;
    default:
        Console.WriteLine("""
            usage: Repro.Bench <mode> [options]
              micro [BenchmarkDotNet args]   CPU micro-benchmarks (hashing, data generation, batch preparation)
              hash [--params N] [--rounds N] [--epoch yes|no] [--reference yes|no]
                                             fingerprint hashing of an N-parameter model, CPU- and GPU-resident,
                                             old (xxh128) vs new (lanesum128) definition side by side
              step [--device cpu|cuda] [--config chapter|small] [--steps N]
                                             training step time, deterministic switches on vs off, batch/sequence scaling
              epoch [--device ...] [--config ...] [--epochs N]
                                             whole epochs through the Trainer, plus the host time spent preparing batches
              tracing [--device ...] [--config small] [--runs N]
                                             epoch time of plain trainings; run by bench/tracing-cost.sh on builds
                                             with and without the doctor's hooks compiled in
              trace [--device ...] [--config small|chapter] [--epochs N]
                                             cost of the compact trace stored with every baseline, against the run's time
              cpu-profile [--rounds N]        the portable CPU profile's cost next to the native one: the small check,
                                             a 1024^3 matmul and a GEMM-heavy training step, one worker process each
              distributed [--config chapter|small] [--micro-batches N] [--rounds N] [--steps N] [--elements N]
                                             CPU cost of the world-size-invariant reduction: the fixed tree vs a plain sum, and one
                                             step's reduction in a simulated world of 1, 2, 4, 8 ranks, invariant vs all-reduce mode
              data                           windows/s of the generator and batch preparation with 1..N workers
              flat [--device ...] [--config chapter|small] [--steps N] [--rounds N] [--check-steps N]
                                             flat vs per-tensor parameters: each AdamW/EMA op and whole training steps
                                             compared bit for bit, then step time side by side
            """);
        break;
}
