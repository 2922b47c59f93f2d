using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace Repro.Bench;

// Steady-state training step time of the DualTask model, with every determinism switch on vs off
// and each switch alone, measured round-robin in one process so the ratios share conditions.
internal static class StepRunner
{
    static readonly (string Name, DeterminismOptions Options)[] Variants =
    [
        ("deterministic (all switches on)", new DeterminismOptions()),
        ("all switches off", DeterminismOptions.Off with { CpuCapability = "avx2", AllowTF32 = false }),
        ("on, but cudnn.benchmark", new DeterminismOptions { CudnnBenchmark = true }),
        ("on, but deterministic algorithms off", new DeterminismOptions { DeterministicAlgorithms = false }),
        ("on, but cudnn.deterministic off", new DeterminismOptions { CudnnDeterministic = false }),
        ("on, but no fill of uninitialised memory", new DeterminismOptions { FillUninitializedMemory = false }),
        ("all off + TF32 (PyTorch's fast default)", DeterminismOptions.Off with { CpuCapability = "avx2" }),
    ];

    internal static void Run(string[] args)
    {
        var options = new BenchArgs(args);
        var config = options.Config();
        var steps = options.Int("steps", 20);
        var rounds = options.Int("rounds", 5);
        var device = options.Device();
        var runtime = Determinism.Apply(new DeterminismOptions { Device = device });
        Console.WriteLine($"Step time, {config.Name} model, batch {config.BatchSize}, window 30, on {runtime.Device}; {steps} steps per sample, {rounds} rounds");
        using var bench = new StepBench(config.Model, config.BatchSize, 30, runtime.Device == "cuda" ? CUDA : CPU);
        var samples = Variants.ToDictionary(v => v.Name, _ => new List<double>());
        for (var round = 0; round < rounds; round++)
            foreach (var (name, variant) in Variants)
            {
                Determinism.Apply(variant with { Device = device });
                if (round == 0) bench.Steps(3);
                samples[name].Add(bench.Steps(steps) / steps);
            }
        var reference = Median(samples[Variants[1].Name]);
        foreach (var (name, _) in Variants)
        {
            var list = samples[name];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name,-44} median {Median(list),8:F3} ms/step  min {list.Min(),8:F3}  max {list.Max(),8:F3}  ratio vs all-off {Median(list) / reference:F3}"));
        }
        Determinism.Apply(new DeterminismOptions { Device = device });
        if (options.Get("scaling", "yes") != "yes") return;
        Console.WriteLine("Scaling (deterministic):");
        foreach (var (batch, window) in new[] { (64, 30), (128, 30), (256, 30), (512, 30), (1024, 30), (256, 60), (256, 120) })
        {
            using var scaled = new StepBench(config.Model, batch, window, runtime.Device == "cuda" ? CUDA : CPU);
            scaled.Steps(3);
            var t = Timing.Measure($"batch {batch}, window {window}", 0, 5, () => scaled.Steps(steps));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  batch {batch,5} window {window,4}: {t.MedianMs / steps,8:F3} ms/step ({batch * 1000.0 / (t.MedianMs / steps),10:F0} windows/s)"));
        }
    }

    static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}
