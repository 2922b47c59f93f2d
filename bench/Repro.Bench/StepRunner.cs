using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace Repro.Bench;

// Steady-state training step time of the DualTask model, with every determinism switch on vs off
// and each switch alone, measured round-robin in one process so the ratios share conditions.
internal static class StepRunner
{
    static readonly (string Name, DeterminismOptions Options, ParameterLayout Layout)[] Variants =
    [
        ("deterministic (all switches on)", new DeterminismOptions(), ParameterLayout.Auto),
        ("all switches off", DeterminismOptions.Off with { CpuCapability = "avx2", AllowTF32 = false }, ParameterLayout.Auto),
        ("on, but cudnn.benchmark", new DeterminismOptions { CudnnBenchmark = true }, ParameterLayout.Auto),
        ("on, but deterministic algorithms off", new DeterminismOptions { DeterministicAlgorithms = false }, ParameterLayout.Auto),
        ("on, but cudnn.deterministic off", new DeterminismOptions { CudnnDeterministic = false }, ParameterLayout.Auto),
        ("on, but no fill of uninitialised memory", new DeterminismOptions { FillUninitializedMemory = false }, ParameterLayout.Auto),
        ("all off + TF32 (PyTorch's fast default)", DeterminismOptions.Off with { CpuCapability = "avx2" }, ParameterLayout.Auto),
        ("deterministic, per-tensor parameters", new DeterminismOptions(), ParameterLayout.PerTensor),
        ("deterministic, flat parameters", new DeterminismOptions(), ParameterLayout.Flat),
        ("all switches off, flat parameters", DeterminismOptions.Off with { CpuCapability = "avx2", AllowTF32 = false }, ParameterLayout.Flat),
    ];

    internal static void Run(string[] args)
    {
        var options = new BenchArgs(args);
        var config = options.Config();
        var steps = options.Int("steps", 20);
        var rounds = options.Int("rounds", 5);
        var device = options.Device();
        var runtime = Determinism.Apply(new DeterminismOptions { Device = device });
        var batch = options.Int("batch", config.BatchSize);
        Console.WriteLine($"Step time, {config.Name} model, batch {batch}, window 30, on {runtime.Device}; {steps} steps per sample, {rounds} rounds");
        var benches = Variants.Select(v => v.Layout).Distinct().ToDictionary(layout => layout, layout => new StepBench(config.Model, batch, 30, runtime.Device == "cuda" ? CUDA : CPU, layout, kernel: config.Optimizer));
        var samples = Variants.ToDictionary(v => v.Name, _ => new List<double>());
        for (var round = 0; round < rounds; round++)
            foreach (var (name, variant, layout) in Variants)
            {
                Determinism.Apply(variant with { Device = device });
                if (round == 0) benches[layout].Steps(3);
                samples[name].Add(benches[layout].Steps(steps) / steps);
            }
        foreach (var bench in benches.Values) bench.Dispose();
        var json = new Dictionary<string, object>();
        var reference = Median(samples[Variants[1].Name]);
        foreach (var (name, _, _) in Variants)
        {
            var list = samples[name];
            json["repro " + name] = Median(list);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name,-44} median {Median(list),8:F3} ms/step  min {list.Min(),8:F3}  max {list.Max(),8:F3}  ratio vs all-off {Median(list) / reference:F3}"));
        }
        Determinism.Apply(new DeterminismOptions { Device = device });
        if (options.Get("scaling", "yes") == "yes")
        {
            Console.WriteLine("Scaling (deterministic):");
            var scaling = new Dictionary<string, double>();
            foreach (var (size, window) in new[] { (64, 30), (128, 30), (256, 30), (512, 30), (1024, 30), (256, 60), (256, 120) })
                foreach (var layout in new[] { ParameterLayout.PerTensor, ParameterLayout.Flat })
                {
                    using var scaled = new StepBench(config.Model, size, window, runtime.Device == "cuda" ? CUDA : CPU, layout, kernel: config.Optimizer);
                    scaled.Steps(3);
                    var t = Timing.Measure($"batch {size}, window {window}", 0, 5, () => scaled.Steps(steps));
                    var name = layout == ParameterLayout.Flat ? "flat" : "per-tensor";
                    scaling[$"{name} {size}x{window}"] = t.MedianMs / steps;
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  batch {size,5} window {window,4} {name,-10}: {t.MedianMs / steps,8:F3} ms/step ({size * 1000.0 / (t.MedianMs / steps),10:F0} windows/s)"));
                }
            json["scaling"] = scaling;
        }
        // One machine-readable line for interop/pytorch/figures.py.
        Console.WriteLine("JSON " + System.Text.Json.JsonSerializer.Serialize(json));
    }

    static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}
