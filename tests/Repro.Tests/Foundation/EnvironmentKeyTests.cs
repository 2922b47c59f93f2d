using Xunit;

namespace Repro.Tests.Foundation;

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

    // Measured: an AMD EPYC and an Intel Xeon gave different bits at the same pinned capability.
    [Theory]
    [InlineData("amd", "cpu-amd-avx2/libtorch-2.10.0-threads-2")]
    [InlineData("intel", "cpu-intel-avx2/libtorch-2.10.0-threads-2")]
    [InlineData(null, "cpu-avx2/libtorch-2.10.0-threads-2")]
    public void Cpu_keys_name_the_vendor_when_it_is_known(string? vendor, string key) =>
        Assert.Equal(key, (Baselines.BaselineFiles.Environment() with { CpuVendor = vendor }).Key);

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
