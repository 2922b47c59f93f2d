using System.Diagnostics;

namespace Repro.Bench;

// Times epochs through the real Trainer by watching its progress reports.
internal static class EpochClock
{
    internal static IReadOnlyList<double> EpochMs(DualTaskConfig config)
    {
        var clock = new Clock();
        Trainer.Train(config, progress: clock);
        return clock.Epochs;
    }

    internal static double MedianEpochMs(DualTaskConfig config)
    {
        var epochs = EpochMs(config).Skip(1).Order().ToList();
        return epochs[epochs.Count / 2];
    }

    // Epoch wall times from any training's progress reports.
    internal sealed class Clock : IProgress<TrainingProgress>
    {
        readonly Stopwatch _watch = Stopwatch.StartNew();
        double _start;
        internal List<double> Epochs { get; } = [];

        public void Report(TrainingProgress value)
        {
            // An epoch runs from the previous epoch's end to its own end, validation included.
            if (value.Completed is null) return;
            var now = _watch.Elapsed.TotalMilliseconds;
            Epochs.Add(now - _start);
            _start = now;
        }
    }
}
