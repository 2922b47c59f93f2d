using System.Diagnostics;
using System.Globalization;

namespace Repro.Bench;

// What the compact trace stored with every baseline costs: the per-epoch digests (torch's generator
// state, on CUDA also the CUDA generator's, every parameter and buffer, the optimizer state) and the
// data-stage digests DualTask records, each timed on the real model and data of a finished training and set against that training's time.
internal static class TraceCostRunner
{
    internal static void Run(string[] args)
    {
        var options = new BenchArgs(args);
        var config = DualTaskConfigs.Resolve(options.Get("config", "small")) with { Epochs = options.Int("epochs", 3), EarlyStoppingPatience = null };
        config = config with { Determinism = config.Determinism with { Device = options.Device() } };

        var clock = new EpochClock.Clock();
        var watch = Stopwatch.StartNew();
        using var result = Trainer.Run(config, clock);
        var runMs = watch.Elapsed.TotalMilliseconds;
        var epochMs = clock.Epochs.Skip(1).DefaultIfEmpty(clock.Epochs[0]).Order().ToList()[clock.Epochs.Count > 1 ? (clock.Epochs.Count - 1) / 2 : 0];
        var epochs = result.Fingerprint.Epochs.Count;

        // Moments of the same shapes as the run's optimizer: the optimizer digest hashes exactly that much.
        using var optimizer = new ReproAdamW(result.Model);
        var recorder = new TraceRecorder();
        var perEpoch = Timing.Measure("trace per epoch: generator, weights, optimizer digests", 3, options.Int("repeats", 30), () =>
        {
            recorder.EpochStarting(NativeRuntime.Current is { IsCuda: true });
            recorder.EpochEnded(1, result.Model, optimizer, 1);
        });

        var data = ((DualTaskCheck)result.Check).Data;
        var units = config.Data.Load(config.Seed).Train;
        var stages = Timing.Measure("trace per run: data-stage digests (units, windows)", 1, options.Int("repeats", 30), () =>
        {
            TraceRecorder.Digest([.. units.Select(run => TraceRecorder.Digest<float>(run.Values.ToArray()))]);
            TraceRecorder.Digest<float>(data.Train.Inputs);
            TraceRecorder.Digest<float>(data.Validation.Inputs);
            TraceRecorder.Digest<float>(data.Test.Inputs);
        });

        var traceMs = perEpoch.MedianMs * epochs + stages.MedianMs;
        Console.WriteLine(perEpoch);
        Console.WriteLine(stages);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"config={config.Name} device={result.Run.Environment.Device} epochs={epochs} run_ms={runMs:F0} trace_ms={traceMs:F2} share={100 * traceMs / runMs:F3}% " +
            $"median_epoch_ms={epochMs:F1} per_epoch_share={100 * perEpoch.MedianMs / epochMs:F3}%"));
    }
}
