using Repro.Xunit;
using Xunit;

namespace Repro.Tests.Environments;

[Collection(ReproCollection.Name)]
public sealed class EnvironmentFingerprintTests
{
    [CpuFact]
    public void Cpu_fingerprint_describes_the_loaded_libtorch()
    {
        Assert.SkipWhen(NativeRuntime.Current is { IsCuda: true }, "this process runs CUDA; the GPU twin covers it");
        var env = EnvironmentFingerprint.Capture();
        Assert.Equal("cpu", env.Device);
        Assert.Null(env.GpuModel);
        Assert.Matches(@"^\d+\.\d+\.\d+", env.LibTorchVersion);
        Assert.EndsWith("libtorch_cpu.so", env.LibTorchPath);
        Assert.True(File.Exists(env.LibTorchPath), $"{env.LibTorchPath} does not exist");
        Assert.Equal(Repro.Advanced.Determinism.Read().CpuCapability.ToLowerInvariant(), env.CpuCapability);
        Assert.StartsWith("cpu-", env.Key);
        Assert.Equal(env.Key, EnvironmentKey.Validate(env.Key));
        // The test run's runsettings pin the portable profile and .NET's SIMD width (256 bits): no vendor, no -simd part.
        Assert.Equal("portable", env.CpuProfile);
        Assert.Equal("compatible", env.MklBranch);
        Assert.Equal(256, env.ManagedVectorBits);
        Assert.Equal($"cpu-x86-{env.CpuCapability}/libtorch-{env.LibTorchVersion}-threads-{env.IntraOpThreads}", env.Key);
    }

    // The assembly fixture applied the defaults, which pin the CPU kernel level to AVX2 so that
    // AVX-512 and AVX2 machines share a CPU baseline; the portable profile leaves the vendor out of the key.
    [CpuFact]
    public void Cpu_kernel_level_is_pinned_by_the_defaults()
    {
        Assert.Equal("avx2", Repro.Advanced.Determinism.Read().CpuCapability.ToLowerInvariant());
        var environment = EnvironmentFingerprint.Capture();
        Assert.StartsWith("cpu-x86-avx2/", environment.Key);
    }
}
