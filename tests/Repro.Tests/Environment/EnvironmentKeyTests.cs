using Xunit;

namespace Repro.Tests.Environments;

public sealed class EnvironmentKeyTests
{
    [Theory]
    [InlineData("NVIDIA H100 80GB HBM3", "nvidia-h100-80gb-hbm3")]
    [InlineData("  NVIDIA GeForce RTX 4090 ", "nvidia-geforce-rtx-4090")]
    [InlineData("2.10.0+cu128", "2.10.0+cu128")]
    [InlineData("AVX512", "avx512")]
    [InlineData("a__b//c", "a-b-c")]
    public void Slug_is_lower_case_and_folder_safe(string text, string slug) => Assert.Equal(slug, EnvironmentKey.Slug(text));

    [Theory]
    [InlineData("nvidia-h100-80gb-hbm3/cuda-13.0")]
    [InlineData("cpu-avx2/libtorch-2.10.0-threads-2")]
    public void Validate_accepts_keys(string key) => Assert.Equal(key, EnvironmentKey.Validate(key));

    // The portable CPU profile makes an AMD EPYC and an Intel Xeon give the same bits (docs/portable-cpu.md):
    // one key for both; the native profile (and baselines recorded before profiles) name the vendor.
    [Theory]
    [InlineData("amd", "portable", 256, "cpu-x86-avx2/libtorch-2.10.0-threads-2")]
    [InlineData("intel", "portable", 256, "cpu-x86-avx2/libtorch-2.10.0-threads-2")]
    [InlineData("amd", "native", 256, "cpu-amd-avx2/libtorch-2.10.0-threads-2")]
    [InlineData("intel", null, null, "cpu-intel-avx2/libtorch-2.10.0-threads-2")]
    [InlineData(null, null, null, "cpu-avx2/libtorch-2.10.0-threads-2")]
    [InlineData("amd", "portable", 512, "cpu-x86-avx2-simd512/libtorch-2.10.0-threads-2")]
    [InlineData("intel", "native", 128, "cpu-intel-avx2-simd128/libtorch-2.10.0-threads-2")]
    public void Cpu_keys_name_the_vendor_only_outside_the_portable_profile(string? vendor, string? profile, int? simd, string key) =>
        Assert.Equal(key, (BaselineFiles.Environment() with { CpuVendor = vendor, CpuProfile = profile, CpuArchitecture = "x64", ManagedVectorBits = simd }).Key);

    [Fact]
    public void Cuda_keys_ignore_the_cpu_profile_and_the_simd_width() =>
        Assert.Equal("nvidia-h200/cuda-13.0", (BaselineFiles.Environment("cuda", "NVIDIA H200") with { CpuVendor = "intel", CpuProfile = "native", ManagedVectorBits = 512 }).Key);

    [Theory]
    [InlineData("")]
    [InlineData("cpu-avx2")]
    [InlineData("a/b/c")]
    [InlineData("NVIDIA H100/cuda-13.0")]
    [InlineData("/cuda-13.0")]
    [InlineData("../cuda-13.0")]
    public void Validate_rejects_bad_keys_with_examples(string key)
    {
        var ex = Assert.Throws<ReproException>(() => EnvironmentKey.Validate(key));
        Assert.Contains($"'{key}' is not an environment key", ex.Message);
        Assert.Contains("repro env", ex.Message);
    }
}
