using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace Repro.Bench;

// Fingerprinting cost: the per-tensor and model hashes of a large model, CPU- and GPU-resident,
// under the old definition (xxh128: tensors copied to the host) and the new one (lanesum128: digested
// on the tensor's device, only the digests copied back), measured round-robin in one process, against
// the time of one training epoch of the chapter configuration measured in the same process.
internal static class HashingRunner
{
    internal static void Run(string[] args)
    {
        var options = new BenchArgs(args);
        var parameters = options.Int("params", 100_000_000);
        var rounds = options.Int("rounds", 5);
        var runtime = Determinism.Apply(new DeterminismOptions { Device = options.Device() });
        var devices = new List<Device> { CPU };
        if (runtime.Device == "cuda") devices.Add(CUDA);
        var gigabytes = parameters * 4.0 / 1e9;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Hashing {parameters:N0} float32 parameters ({gigabytes:F2} GB) as 100 tensors; per-tensor + model hashes, median of {rounds} round-robin rounds"));
        var results = new List<(string Device, string Path, double Ms)>();
        foreach (var device in devices)
        {
            var tensors = MakeModel(parameters, device);
            (string Name, Func<object> Action)[] paths = device.type == DeviceType.CUDA
                ?
                [
                    ("xxh128, one pageable copy (old)", () => TensorDigest.Compute(tensors, TensorHashKinds.XxHash128)),
                    ("xxh128, pinned staging (old)", () => Pinned(tensors)),
                    ("lanesum128, NVRTC kernel (default)", () => TensorDigest.Compute(tensors, TensorHashKinds.LaneSum128)),
                    ("lanesum128, torch ops on the device", () => WithoutKernel(() => TensorDigest.Compute(tensors, TensorHashKinds.LaneSum128))),
                    ("lanesum128, torch ops, 32768-row chunks", () => WithoutKernel(() => WithChunkRows(32768, () => TensorDigest.Compute(tensors, TensorHashKinds.LaneSum128)))),
                ]
                :
                [
                    ("xxh128 (old)", () => TensorDigest.Compute(tensors, TensorHashKinds.XxHash128)),
                    ("lanesum128, managed (new)", () => TensorDigest.Compute(tensors, TensorHashKinds.LaneSum128)),
                    // The torch path on the CPU only serves as the tests' reference (slow: int64 ops).
                    .. options.Get("reference", "no") == "yes"
                        ? new (string, Func<object>)[] { ("lanesum128, torch ops on the CPU (reference)", () => LaneSumDevice.Compute([.. tensors.Select(t => t.Item2)])) }
                        : [],
                ];
            var samples = paths.ToDictionary(p => p.Name, _ => new List<double>());
            // Every lanesum128 path must give the same model digest, or its time means nothing.
            var digests = paths.Select(p => p.Action() is ValueTuple<IReadOnlyList<string>, string> d ? d.Item2 : null).ToList();
            if (digests.Where((d, i) => d is not null && paths[i].Name.StartsWith("lanesum128", StringComparison.Ordinal)).Distinct().Count() > 1)
                throw new InvalidOperationException("The lanesum128 paths gave different digests.");
            if (device.type == DeviceType.CUDA && LaneSumKernel.Unavailable is { } why) Console.WriteLine("lanesum128 kernel not used: " + why);
            if (device.type == DeviceType.CUDA && LaneSumKernel.CompileTime is { } compile)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"lanesum128 kernel compiled (NVRTC) and loaded once, at the first CUDA digest: {compile.TotalMilliseconds:F0} ms"));
            for (var round = 0; round < rounds; round++)
                foreach (var (name, action) in paths)
                    samples[name].Add(Timing.Measure(name, 0, 1, () => { action(); Synchronize(device); }).MedianMs);
            var reference = Median(samples[paths[0].Name]);
            foreach (var (name, _) in paths)
            {
                var ms = Median(samples[name]);
                results.Add((device.type.ToString(), name, ms));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{device.type,-5} {name,-50} median {ms,9:F2} ms  min {samples[name].Min(),9:F2}  {gigabytes / (ms / 1000),8:F2} GB/s  x{reference / ms,6:F2} vs {paths[0].Name}"));
            }
            foreach (var (_, t) in tensors) t.Dispose();
        }
        if (options.Get("epoch", "yes") == "yes")
        {
            var epoch = EpochClock.MedianEpochMs(DualTaskConfig.Chapter with { Epochs = 3, EarlyStoppingPatience = null, Determinism = DualTaskConfig.Chapter.Determinism with { Device = options.Device() } });
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Chapter config epoch (median of epochs 2-3) on {runtime.Device}: {epoch:F1} ms"));
            foreach (var (device, path, ms) in results)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {device,-5} {path,-50} {100 * ms / epoch,6:F2} % of an epoch"));
        }
    }

    static object Pinned(List<(string, Tensor)> tensors)
    {
        TensorDigest.PinnedStaging = true;
        try
        {
            return TensorDigest.Compute(tensors, TensorHashKinds.XxHash128);
        }
        finally
        {
            TensorDigest.PinnedStaging = false;
        }
    }

    // The digest's chunk size trades device memory (three int64 temporaries of rows x 1024 x 2 lanes) for launches.
    static object WithChunkRows(int rows, Func<object> action)
    {
        var previous = LaneSumDevice.ChunkRows;
        LaneSumDevice.ChunkRows = rows;
        try { return action(); }
        finally { LaneSumDevice.ChunkRows = previous; }
    }

    static object WithoutKernel(Func<object> action)
    {
        LaneSumKernel.Enabled = false;
        try { return action(); }
        finally { LaneSumKernel.Enabled = true; }
    }

    static void Synchronize(Device device)
    {
        if (device.type == DeviceType.CUDA) cuda.synchronize();
    }

    static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    static List<(string, Tensor)> MakeModel(int parameters, Device device)
    {
        var generator = new Generator(7);
        var list = new List<(string, Tensor)>();
        var per = parameters / 100;
        for (var i = 0; i < 100; i++)
            list.Add(($"layer{i}.weight", randn([per], generator: generator).to(device).DetachFromDisposeScope()));
        Synchronize(device);
        return list;
    }
}
