using System.Globalization;

namespace Repro.Bench;

// Data pipeline throughput: generating and windowing the chapter's synthetic fleet, and preparing
// one epoch of batches with 1..N workers (identical batches whatever the count).
internal static class DataRunner
{
    internal static void Run(string[] args)
    {
        var source = DualTaskConfig.Chapter.Data;
        PreparedData? data = null;
        var generate = Timing.Measure("generate + window chapter data (100+100 units)", 1, 5,
            () => data = CmapssPreprocessing.Prepare(source.Synthetic is { } s ? SyntheticCmapss.Generate(42, s) : throw new InvalidOperationException(), source.Preprocessing, 42));
        var windows = data!.Train.Count + data.Validation.Count + data.Test.Count;
        Console.WriteLine(generate);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {windows:N0} windows: {windows / (generate.MedianMs / 1000):N0} windows/s"));
        foreach (var workers in new[] { 1, 2, 4, 8 }.Where(w => w <= Math.Max(2, Environment.ProcessorCount)))
        {
            var loader = new BatchLoader(data.Train, new BatchLoaderOptions { BatchSize = 256, Workers = workers });
            var epoch = Timing.Measure($"prepare one epoch of batches, {workers} worker(s)", 1, 5, () =>
            {
                foreach (var _ in loader.Epoch(42, 1)) { }
            });
            Console.WriteLine(epoch);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {data.Train.Count / (epoch.MedianMs / 1000):N0} windows/s, {epoch.MedianMs / loader.BatchCount:F3} ms per batch of 256"));
        }
    }
}
