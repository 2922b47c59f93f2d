using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace Repro.Bench;

// Fingerprinting cost: hashing every tensor of a large model, CPU- and GPU-resident, against the
// time of one training epoch of the chapter configuration measured in the same process.
internal static class HashingRunner
{
    internal static void Run(string[] args)
    {
        var options = new BenchArgs(args);
        var parameters = options.Int("params", 100_000_000);
        var runtime = Determinism.Apply(new DeterminismOptions { Device = options.Device() });
        var devices = new List<Device> { CPU };
        if (runtime.Device == "cuda") devices.Add(CUDA);
        Console.WriteLine($"Hashing {parameters:N0} float32 parameters ({parameters * 4.0 / 1e9:F2} GB) as 100 tensors");
        foreach (var device in devices)
        {
            var tensors = MakeModel(parameters, device);
            foreach (var pinned in device.type == DeviceType.CUDA ? new[] { false, true } : [false])
            {
                TensorDigest.PinnedStaging = pinned;
                var label = device.type == DeviceType.CUDA ? (pinned ? " (pinned staging)" : " (pageable copy)") : "";
                var timing = Timing.Measure($"per-tensor + model hashes on {device.type}{label}", 1, 5, () => TensorDigest.Compute(tensors));
                Console.WriteLine(timing);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  throughput {parameters * 4.0 / 1e9 / (timing.MedianMs / 1000):F2} GB/s of parameter bytes"));
            }
            TensorDigest.PinnedStaging = false;
            var streaming = Timing.Measure($"model hash alone, tensor by tensor (the old path) on {device.type}", 1, 3, () => ModelFingerprint.HashNamedStreaming(tensors));
            Console.WriteLine(streaming);
            foreach (var (_, t) in tensors) t.Dispose();
        }
        if (options.Get("epoch", "yes") == "yes")
        {
            var epoch = EpochClock.MedianEpochMs(DualTaskConfig.Chapter with { Epochs = 3, EarlyStoppingPatience = null, Determinism = DualTaskConfig.Chapter.Determinism with { Device = options.Device() } });
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Chapter config epoch (median of epochs 2-3) on {runtime.Device}: {epoch:F1} ms"));
        }
    }

    static List<(string, Tensor)> MakeModel(int parameters, Device device)
    {
        var generator = new Generator(7);
        var list = new List<(string, Tensor)>();
        var per = parameters / 100;
        for (var i = 0; i < 100; i++)
            list.Add(($"layer{i}.weight", randn([per], generator: generator).to(device).DetachFromDisposeScope()));
        if (device.type == DeviceType.CUDA) cuda.synchronize();
        return list;
    }
}
