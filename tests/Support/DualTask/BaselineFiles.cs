namespace Repro.Tests.Support.DualTask;

// Baseline files built by hand for store and comparer tests, so those tests need no training.
internal static class BaselineFiles
{
    internal const string Key = "cpu-avx2/libtorch-2.10.0-threads-2";

    internal static TrainingFingerprint Fingerprint(double loss = 1.0, int epochs = 3, string tensorHash = "aa", string order = "o", string data = "d") => new()
    {
        Name = "t",
        Device = "cpu",
        ConfigHash = DualTaskRuns.ConfigHash(DualTaskConfig.Small),
        ConfiguredEpochs = epochs,
        DataHash = data,
        InitialModelHash = "init",
        Epochs = [.. Enumerable.Range(1, epochs).Select(e => DualTaskRuns.Epoch(e, loss / e, loss / e * 0.9, loss / e * 0.1, 80.0 - e, 1000.0, 0.5, order + e))],
        Tensors = [new TensorRecord("conv1.conv.weight", "parameter", [16, 15, 3], "Float32", tensorHash), new TensorRecord("lstm.weight_ih_l0", "parameter", [64, 16], "Float32", "bb")],
        ModelHash = "model-" + tensorHash,
        OptimizerStateHash = "opt",
        OptimizerSteps = 21,
        Final = DualTaskRuns.TestMetrics(70.0, 500.0, 0.4),
    };

    internal static EnvironmentFingerprint Environment(string device = "cpu", string? gpu = null) => new()
    {
        Device = device,
        GpuModel = gpu,
        CudaRuntimeVersion = gpu is null ? null : "13.0",
        LibTorchVersion = "2.10.0",
        LibTorchPath = "{nuget}/libtorch-cpu-linux-x64/2.10.0/runtimes/linux-x64/native/libtorch_cpu.so",
        LibTorchSource = "test",
        TorchSharpVersion = "0.107.0",
        CpuModel = "test cpu",
        CpuCapability = "avx2",
        IntraOpThreads = 2,
        ProcessorCount = 2,
        OperatingSystem = "test os",
        DotNetRuntime = ".NET test",
    };

    internal static BaselineFile File(TrainingFingerprint fingerprint, string test = "Suite.Check", EnvironmentFingerprint? environment = null)
    {
        environment ??= Environment();
        // A run records the device it trained on; a file filed under a GPU key says cuda there too.
        if (fingerprint.Device != environment.Device) fingerprint = fingerprint with { Device = environment.Device };
        return new BaselineFile { Test = test, Key = environment.Key, Config = DualTaskRuns.Settings(DualTaskConfig.Small), Environment = environment, Fingerprint = fingerprint };
    }
}
