using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace Repro.Bench;

// The flat-parameter experiment for one device, in one command: (1) each element-wise op of the
// AdamW step and the EMA on every tensor alone vs the same values in one buffer; (2) whole training
// steps (forward, backward, AdamW, EMA) per-tensor vs flat from the same weights and dropout masks,
// compared bit for bit; (3) step time per-tensor vs flat, round-robin: the update alone (step,
// zero-grad, EMA) and the whole training step.
internal static class FlatRunner
{
    internal static void Run(string[] args)
    {
        var options = new BenchArgs(args);
        var config = options.Config();
        var runtime = Determinism.Apply(new DeterminismOptions { Device = options.Device(), IntraOpThreads = options.Int("threads", 2), CpuCapability = options.Get("capability", "avx2") });
        var device = runtime.Device == "cuda" ? CUDA : CPU;
        List<long[]> shapes;
        using (var model = new DualTaskModel(config.Model))
            shapes = [.. model.parameters().Select(p => p.shape)];
        // Odd sizes (tails of 1..15 elements) and one tensor above ATen's parallel grain (32768).
        shapes.AddRange([[1], [3], [17], [31], [100_003]]);
        FlatOpsExperiment.Run(shapes, device, options.Int("align", 16));
        if (options.Get("ops-only", "no") == "yes") return;

        var checkSteps = options.Int("check-steps", 10);
        var batch = options.Int("batch", config.BatchSize);
        using var perTensor = new StepBench(config.Model, batch, 30, device, ParameterLayout.PerTensor, ema: true);
        using var flat = new StepBench(config.Model, batch, 30, device, ParameterLayout.Flat, ema: true);
        Console.WriteLine($"Flat layout: {flat.Optimizer.Flat!.Chunks.Count} chunk(s) for {flat.Optimizer.Flat.Parameters.Count} parameters ({string.Join(", ", flat.Optimizer.Flat.Chunks.Select(c => $"{c.dtype} x{c.NumberOfElements:N0}"))})");
        Determinism.Reseed(7);
        perTensor.Steps(checkSteps);
        Determinism.Reseed(7);
        flat.Steps(checkSteps);
        var moved = Compare("parameters", Parameters(perTensor), Parameters(flat))
            + Compare("AdamW moments", perTensor.Optimizer.State().Select(s => s.Tensor), flat.Optimizer.State().Select(s => s.Tensor))
            + Compare("EMA weights", perTensor.Ema!.Shadow, flat.Ema!.Shadow);
        Console.WriteLine(moved == 0
            ? $"Training: {checkSteps} steps per-tensor and flat give bit-identical parameters, moments and EMA weights on {device.type}: IDENTICAL"
            : $"Training: {checkSteps} steps per-tensor and flat DIFFER on {device.type} in {moved} tensors");

        var steps = options.Int("steps", 20);
        var rounds = options.Int("rounds", 5);
        var samples = new Dictionary<string, List<double>>
        {
            ["update only, per-tensor"] = [], ["update only, flat"] = [],
            ["training step, per-tensor"] = [], ["training step, flat"] = [],
        };
        perTensor.Steps(3);
        flat.Steps(3);
        for (var round = 0; round < rounds; round++)
        {
            samples["update only, per-tensor"].Add(perTensor.UpdateSteps(steps) / steps);
            samples["update only, flat"].Add(flat.UpdateSteps(steps) / steps);
            samples["training step, per-tensor"].Add(perTensor.Steps(steps) / steps);
            samples["training step, flat"].Add(flat.Steps(steps) / steps);
        }
        Console.WriteLine($"Step time on {device.type}, {config.Name} model, batch {batch}, window 30, AdamW + EMA; {steps} steps per sample, {rounds} rounds, round-robin");
        foreach (var (name, values) in samples)
        {
            var reference = Median(samples[name.Replace("flat", "per-tensor", StringComparison.Ordinal)]);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name,-30} median {Median(values),8:F3} ms  min {values.Min(),8:F3}  max {values.Max(),8:F3}  ratio vs per-tensor {Median(values) / reference:F3}"));
        }
    }

    static IEnumerable<Tensor> Parameters(StepBench bench) => bench.Model.parameters().Select(p => (Tensor)p);

    static int Compare(string what, IEnumerable<Tensor> expected, IEnumerable<Tensor> actual)
    {
        var moved = 0;
        foreach (var (a, b) in expected.Zip(actual))
        {
            // The scope keeps the host copies alive while their bytes are read.
            using var scope = NewDisposeScope();
            var left = a.detach().cpu().contiguous().bytes.ToArray();
            var right = b.detach().cpu().contiguous().bytes.ToArray();
            if (!left.AsSpan().SequenceEqual(right)) moved++;
        }
        Console.WriteLine($"  {what}: {(moved == 0 ? "identical" : $"{moved} tensors differ")}");
        return moved;
    }

    static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}
