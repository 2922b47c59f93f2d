using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using static TorchSharp.torch;

namespace Repro.Bench;

/// <summary>CPU micro-benchmarks of fingerprinting and the data path (BenchmarkDotNet, short runs).</summary>
[Config(typeof(InProcessShortRun))]
[MemoryDiagnoser]
public class HashingBenchmarks
{
    List<(string, Tensor)> _model = [];
    WindowSet? _train;

    [Params(10_000_000)]
    public int Parameters { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        Determinism.Apply(new DeterminismOptions { Device = DeviceRequest.Cpu });
        var generator = new Generator(7);
        _model = [.. Enumerable.Range(0, 100).Select(i => ($"layer{i}", randn([Parameters / 100], generator: generator).DetachFromDisposeScope()))];
        var source = DualTaskConfig.Chapter.Data;
        _train = CmapssPreprocessing.Prepare(SyntheticCmapss.Generate(42, source.Synthetic), source.Preprocessing, 42).Train;
    }

    [Benchmark(Description = "hash all tensors (XxHash128)")]
    public string HashModel() => ModelFingerprint.HashNamed(_model);

    [Benchmark(Description = "generate one synthetic unit")]
    public int GenerateUnit() => SyntheticCmapss.GenerateUnit(42, 7, false, new SyntheticCmapssOptions()).Length;

    [Benchmark(Description = "epoch order of the chapter train set")]
    public int EpochOrderPermutation() => EpochOrder.Permutation(42, 3, _train!.Count)[0];

    [Benchmark(Description = "gather one epoch of batches, 1 worker")]
    public int GatherEpoch()
    {
        var count = 0;
        foreach (var batch in new BatchLoader(_train!, new BatchLoaderOptions()).Epoch(42, 1)) count += batch.Count;
        return count;
    }
}

/// <summary>
/// Short runs in this process: a generated benchmark project would copy TorchSharp's native library
/// without the build's GLIBCXX fix-up (build/Repro.NativeCompat.targets) and fail to load it.
/// </summary>
public sealed class InProcessShortRun : ManualConfig
{
    public InProcessShortRun() => AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance));
}
