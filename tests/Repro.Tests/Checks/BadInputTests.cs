using Repro.Xunit;
using Xunit;

namespace Repro.Tests.Checks;

// Misconfiguration must surface as a ReproException naming the setting and its fix, and must leave
// the process usable (the test host keeps running the tests after these).
[Collection(ReproCollection.Name)]
public sealed class BadInputTests
{
    [Fact]
    public void Malformed_cublas_config_names_the_setting_and_the_fix()
    {
        var ex = Assert.Throws<ReproException>(() => Repro.Advanced.Determinism.Apply(new DeterminismOptions { CublasWorkspaceConfig = "bogus" }));
        Assert.Contains("CublasWorkspaceConfig='bogus'", ex.Message);
        Assert.Contains(":4096:8", ex.Message);
        Assert.Equal(":4096:8", Repro.Advanced.Determinism.Read().CublasWorkspaceConfig);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void Non_positive_thread_count_is_rejected(int threads)
    {
        var before = Repro.Advanced.Determinism.Read().IntraOpThreads;
        var ex = Assert.Throws<ReproException>(() => Repro.Advanced.Determinism.Apply(new DeterminismOptions { IntraOpThreads = threads }));
        Assert.Contains($"IntraOpThreads={threads}", ex.Message);
        Assert.Contains("at least 1", ex.Message);
        Assert.Equal(before, Repro.Advanced.Determinism.Read().IntraOpThreads);
    }

    [Fact]
    public void Unknown_cpu_capability_is_reported_with_what_libtorch_runs()
    {
        var ex = Assert.Throws<ReproException>(() => Repro.Advanced.Determinism.Apply(new DeterminismOptions { CpuCapability = "sse9" }));
        Assert.Contains("'sse9'", ex.Message);
        Repro.Advanced.Determinism.Apply(new DeterminismOptions());
    }

    [Fact]
    public void Cuda_after_cpu_initialisation_explains_that_libtorch_cannot_be_swapped()
    {
        Assert.SkipWhen(NativeRuntime.Current is { IsCuda: true }, "this process runs CUDA");
        var ex = Assert.Throws<ReproException>(() => NativeRuntime.Initialize(DeviceRequest.Cuda));
        Assert.Contains("CUDA was requested", ex.Message);
        Assert.Contains("already initialised libtorch for cpu", ex.Message);
        Assert.Contains("REPRO_DEVICE=cuda", ex.Message);
        Assert.Equal("cpu", NativeRuntime.Initialize(DeviceRequest.Cpu).Device);
    }

    [Fact]
    public void Unknown_device_in_the_environment_is_rejected()
    {
        var saved = Environment.GetEnvironmentVariable(NativeRuntime.DeviceVariable);
        try
        {
            Environment.SetEnvironmentVariable(NativeRuntime.DeviceVariable, "tpu");
            var ex = Assert.Throws<ReproException>(() => NativeRuntime.RequestFromEnvironment());
            Assert.Contains("REPRO_DEVICE='tpu'", ex.Message);
            Assert.Contains("auto", ex.Message);
        }
        finally
        {
            Environment.SetEnvironmentVariable(NativeRuntime.DeviceVariable, saved);
        }
    }
}
