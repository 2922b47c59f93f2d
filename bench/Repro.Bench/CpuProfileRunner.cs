using System.Diagnostics;
using System.Globalization;
using static TorchSharp.torch;

namespace Repro.Bench;

// The cost of the portable CPU profile, measured side by side: MKL reads MKL_CBWR once per process, so
// each round starts one worker per profile (alternating, the order flipped every round) and each worker
// times the `small` check's training, a 1024^3 float32 matmul and a GEMM-heavy training step (a
// 1024-wide MLP, batch 512, ReproAdamW). Prints each profile's medians and the portable/native ratios.
internal static class CpuProfileRunner
{
    internal static void Run(string[] args)
    {
        var options = new BenchArgs(args);
        if (options.Get("worker", "") is { Length: > 0 } profile)
        {
            Worker(profile);
            return;
        }
        var rounds = options.Int("rounds", 3);
        var results = new Dictionary<string, List<double[]>> { ["portable"] = [], ["native"] = [] };
        for (var round = 0; round < rounds; round++)
            foreach (var name in round % 2 == 0 ? new[] { "portable", "native" } : ["native", "portable"])
                results[name].Add(Spawn(name));
        string[] labels = ["small check training (s)", "mm 1024^3 (GFLOP/s)", "MLP step 1024x3, batch 512 (ms)"];
        Console.WriteLine($"CPU profile cost, {rounds} rounds, {System.Environment.ProcessorCount} cores, {EnvironmentProbe.CpuModel()}");
        for (var i = 0; i < labels.Length; i++)
        {
            double Median(string name) => results[name].Select(v => v[i]).Order().ElementAt(rounds / 2);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {labels[i],-34} portable {Median("portable"),9:F3}  native {Median("native"),9:F3}  portable/native {Median("portable") / Median("native"):F2}"));
        }
    }

    static double[] Spawn(string profile)
    {
        // Repro's own child-process start: the same host and the same .NET SIMD width as this process.
        var start = ChildProcessRun.ExecutableStart(typeof(CpuProfileRunner).Assembly.Location);
        start.RedirectStandardOutput = true;
        foreach (var a in new[] { "cpu-profile", "--worker", profile }) start.ArgumentList.Add(a);
        start.Environment["REPRO_CPU_PROFILE"] = profile;
        start.Environment.Remove("MKL_CBWR");
        using var process = Process.Start(start)!;
        var line = process.StandardOutput.ReadToEnd().Trim().Split('\n')[^1];
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"the {profile} worker failed (exit {process.ExitCode}): {line}");
        return [.. line.Split(' ').Select(v => double.Parse(v, CultureInfo.InvariantCulture))];
    }

    static void Worker(string profile)
    {
        Determinism.Apply(new DeterminismOptions { Device = DeviceRequest.Cpu, PortableCpu = profile == "portable" });
        var config = DualTaskConfig.Small with { Determinism = DualTaskConfig.Small.Determinism with { Device = DeviceRequest.Cpu } };
        var watch = Stopwatch.StartNew();
        Trainer.Train(config);
        var small = watch.Elapsed.TotalSeconds;

        using var a = randn(1024, 1024);
        using var b = randn(1024, 1024);
        var mm = Timing.Measure("mm", 2, 10, () => { using var c = a.mm(b); });
        var gflops = 2.0 * 1024 * 1024 * 1024 / (mm.MedianMs / 1000) / 1e9;

        using var model = nn.Sequential(nn.Linear(1024, 1024), nn.ReLU(), nn.Linear(1024, 1024), nn.ReLU(), nn.Linear(1024, 1));
        using var optimizer = new ReproAdamW(model);
        using var inputs = randn(512, 1024);
        using var targets = randn(512, 1);
        var step = Timing.Measure("step", 3, 20, () =>
        {
            optimizer.zero_grad();
            using var loss = nn.functional.mse_loss(model.call(inputs), targets);
            loss.backward();
            optimizer.step();
        });
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{small:F3} {gflops:F2} {step.MedianMs:F3}"));
    }
}
