using System.Globalization;

namespace Repro.Bench;

// Median epoch time of ordinary (untraced) trainings, tagged with whether the doctor's hooks are
// compiled into this build; bench/tracing-cost.sh runs it on both builds and prints the ratio.
internal static class TracingRunner
{
    internal static void Run(string[] args)
    {
        var options = new BenchArgs(args);
        var config = DualTaskConfigs.Resolve(options.Get("config", "small")) with { Epochs = options.Int("epochs", 4), EarlyStoppingPatience = null };
        config = config with { Determinism = config.Determinism with { Device = options.Device() } };
        var epochs = new List<double>();
        for (var run = 0; run < options.Int("runs", 3); run++)
            epochs.AddRange(EpochClock.EpochMs(config).Skip(1));
        epochs.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"hooks={(DualTaskModel.HooksCompiled ? "compiled-in" : "compiled-out")} median_epoch_ms={epochs[epochs.Count / 2]:F2} epochs={epochs.Count}"));
    }
}
