using System.Diagnostics;
using System.Globalization;

namespace Repro.Bench;

// Median/min/max of repeated timings; device work is synchronised inside the timed action.
internal sealed record Timing(string Name, double MedianMs, double MinMs, double MaxMs, int Repeats)
{
    internal static Timing Measure(string name, int warmup, int repeats, Action action)
    {
        for (var i = 0; i < warmup; i++) action();
        var samples = new double[repeats];
        for (var i = 0; i < repeats; i++)
        {
            var watch = Stopwatch.StartNew();
            action();
            samples[i] = watch.Elapsed.TotalMilliseconds;
        }
        Array.Sort(samples);
        return new Timing(name, samples[repeats / 2], samples[0], samples[^1], repeats);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Name,-58} median {MedianMs,9:F3} ms  min {MinMs,9:F3}  max {MaxMs,9:F3}  (n={Repeats})");
}
