using System.Diagnostics;
using System.Globalization;

namespace Repro.Bench;

// Whole epochs through the Trainer (data, steps, validation), and how much of each epoch is host
// time spent preparing batches: the part during which the device may wait.
internal static class EpochRunner
{
    internal static void Run(string[] args)
    {
        var options = new BenchArgs(args);
        var config = options.Config() with { Epochs = options.Int("epochs", 4), EarlyStoppingPatience = null };
        config = config with { Determinism = config.Determinism with { Device = options.Device() } };
        var runtime = Determinism.Apply(config.Determinism);
        var epochs = EpochClock.EpochMs(config);
        Console.WriteLine($"{config.Name} on {runtime.Device}: epochs (ms, validation included): {string.Join(", ", epochs.Select(e => e.ToString("F1", CultureInfo.InvariantCulture)))}");
        var data = CmapssPreprocessing.Prepare(config.Data.Load(config.Seed), config.Data.Preprocessing, config.Seed);
        var loader = new BatchLoader(data.Train, new BatchLoaderOptions { BatchSize = config.BatchSize, Workers = config.DataWorkers });
        var watch = Stopwatch.StartNew();
        foreach (var _ in loader.Epoch(config.Seed, 2)) { }
        var host = watch.Elapsed.TotalMilliseconds;
        var steady = epochs.Skip(1).Order().ElementAt((epochs.Count - 1) / 2);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"host batch preparation per epoch: {host:F1} ms ({loader.BatchCount} batches) = {100 * host / steady:F1}% of a steady epoch ({steady:F1} ms)"));
    }
}
