using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace Repro.Bench;

// Steady-state training step time of the DualTask model, with every determinism switch on vs off
// and each switch alone, measured round-robin in one process so the ratios share conditions.
internal static class StepRunner
{
    static readonly (string Name, DeterminismOptions Options, ParameterLayout Layout, StepCapture Capture)[] Variants =
    [
        ("deterministic (all switches on)", new DeterminismOptions(), ParameterLayout.Auto, StepCapture.Eager),
        ("all switches off", DeterminismOptions.Off with { CpuCapability = "avx2", AllowTF32 = false }, ParameterLayout.Auto, StepCapture.Eager),
        ("on, but cudnn.benchmark", new DeterminismOptions { CudnnBenchmark = true }, ParameterLayout.Auto, StepCapture.Eager),
        ("on, but deterministic algorithms off", new DeterminismOptions { DeterministicAlgorithms = false }, ParameterLayout.Auto, StepCapture.Eager),
        ("on, but cudnn.deterministic off", new DeterminismOptions { CudnnDeterministic = false }, ParameterLayout.Auto, StepCapture.Eager),
        ("on, but no fill of uninitialised memory", new DeterminismOptions { FillUninitializedMemory = false }, ParameterLayout.Auto, StepCapture.Eager),
        ("all off + TF32 (PyTorch's fast default)", DeterminismOptions.Off with { CpuCapability = "avx2" }, ParameterLayout.Auto, StepCapture.Eager),
        ("deterministic, per-tensor parameters", new DeterminismOptions(), ParameterLayout.PerTensor, StepCapture.Eager),
        ("deterministic, flat parameters", new DeterminismOptions(), ParameterLayout.Flat, StepCapture.Eager),
        ("all switches off, flat parameters", DeterminismOptions.Off with { CpuCapability = "avx2", AllowTF32 = false }, ParameterLayout.Flat, StepCapture.Eager),
        ("deterministic, CUDA graph (forward+backward)", new DeterminismOptions(), ParameterLayout.Flat, StepCapture.CudaGraph),
        ("all switches off, CUDA graph (forward+backward)", DeterminismOptions.Off with { CpuCapability = "avx2", AllowTF32 = false }, ParameterLayout.Flat, StepCapture.CudaGraph),
        ("on, but no fill of uninitialised memory, CUDA graph", new DeterminismOptions { FillUninitializedMemory = false }, ParameterLayout.Flat, StepCapture.CudaGraph),
        ("on, but deterministic algorithms off, CUDA graph", new DeterminismOptions { DeterministicAlgorithms = false }, ParameterLayout.Flat, StepCapture.CudaGraph),
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
        var isCuda = runtime.Device == "cuda";
        var variants = Variants.Where(v => isCuda || v.Capture == StepCapture.Eager).ToArray();
        // Eager variants share one bench per layout; a graph records the kernels the switches chose at
        // capture, so each graph variant has its own, built (and captured) under its own switches.
        string BenchKey((string Name, DeterminismOptions Options, ParameterLayout Layout, StepCapture Capture) v) =>
            v.Capture == StepCapture.Eager ? v.Layout.ToString() : v.Name;
        var benches = new Dictionary<string, StepBench>();
        foreach (var v in variants)
        {
            if (benches.ContainsKey(BenchKey(v))) continue;
            Determinism.Apply(v.Options with { Device = device });
            benches[BenchKey(v)] = new StepBench(config.Model, batch, 30, isCuda ? CUDA : CPU, v.Layout, kernel: config.Optimizer, capture: v.Capture);
        }
        var samples = variants.ToDictionary(v => v.Name, _ => new List<double>());
        for (var round = 0; round < rounds; round++)
            foreach (var v in variants)
            {
                Determinism.Apply(v.Options with { Device = device });
                if (round == 0) benches[BenchKey(v)].Steps(3);
                samples[v.Name].Add(benches[BenchKey(v)].Steps(steps) / steps);
            }
        foreach (var bench in benches.Values) bench.Dispose();
        var json = new Dictionary<string, object>();
        var reference = Median(samples[Variants[1].Name]);
        foreach (var (name, _, _, _) in variants)
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
                foreach (var (layout, capture) in ScalingVariants(isCuda))
                {
                    using var scaled = new StepBench(config.Model, size, window, isCuda ? CUDA : CPU, layout, kernel: config.Optimizer, capture: capture);
                    scaled.Steps(3);
                    var t = Timing.Measure($"batch {size}, window {window}", 0, 5, () => scaled.Steps(steps));
                    var name = capture == StepCapture.CudaGraph ? "flat+graph" : layout == ParameterLayout.Flat ? "flat" : "per-tensor";
                    scaling[$"{name} {size}x{window}"] = t.MedianMs / steps;
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  batch {size,5} window {window,4} {name,-10}: " +
                        $"{t.MedianMs / steps,8:F3} ms/step ({size * 1000.0 / (t.MedianMs / steps),10:F0} windows/s)"));
                }
            json["scaling"] = scaling;
        }
        // One machine-readable line for interop/pytorch/figures.py.
        Console.WriteLine("JSON " + System.Text.Json.JsonSerializer.Serialize(json));
    }

    static IEnumerable<(ParameterLayout, StepCapture)> ScalingVariants(bool isCuda)
    {
        yield return (ParameterLayout.PerTensor, StepCapture.Eager);
        yield return (ParameterLayout.Flat, StepCapture.Eager);
        if (isCuda) yield return (ParameterLayout.Flat, StepCapture.CudaGraph);
    }

    static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}
