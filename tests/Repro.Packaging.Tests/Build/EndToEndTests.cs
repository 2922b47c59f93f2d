using Repro.Xunit;
using Xunit;

namespace Repro.Packaging.Tests.Build;

// What a user of build/*.targets gets on the command line, checked by running dotnet on a real
// project (slow: restore and build in a child process). Filter them out with "Category!=MsBuild".
[Trait("Category", "MsBuild")]
[Collection(MsBuildCollection.Name)]
public sealed class EndToEndTests(ProbeProject probe) : IClassFixture<ProbeProject>
{
    DotNetCli.Result Run(params string[] arguments)
    {
        Assert.True(probe.Restore.ExitCode == 0, $"dotnet restore of the probe project failed: {probe.Restore}");
        return DotNetCli.Run(probe.Directory, arguments);
    }

    [Fact]
    public void Test_environment_reaches_native_code_and_gpu_tests_can_be_filtered_out()
    {
        var result = Run("test", "--no-restore", "--disable-build-servers", "-p:ReproTestEnvironment=REPRO_PROBE=hello", "--filter", "Category!=GPU");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(new DotNetCli.Summary(Failed: 0, Passed: 2, Skipped: 0, Total: 2), DotNetCli.ParseSummary(result));
    }

    [Fact]
    public void Gpu_tests_can_be_selected_and_skip_with_a_reason_without_a_gpu()
    {
        var result = Run("test", "--no-restore", "--disable-build-servers", "--filter", "Category=GPU", "--logger", "console;verbosity=normal");
        Assert.True(result.ExitCode == 0, result.ToString());
        var summary = DotNetCli.ParseSummary(result);
        Assert.Equal(1, summary.Total);
        if (GpuAvailability.IsAvailable) return;
        Assert.Equal(new DotNetCli.Summary(Failed: 0, Passed: 0, Skipped: 1, Total: 1), summary);
        Assert.Contains("No CUDA GPU: ", result.Output);
    }

    [Fact]
    public void Malformed_cublas_config_fails_the_build_with_the_fix()
    {
        var result = Run("build", "--no-restore", "--disable-build-servers", "-p:ReproCublasWorkspaceConfig=bogus");
        Assert.True(result.ExitCode != 0, result.ToString());
        Assert.Contains("Repro: ReproCublasWorkspaceConfig='bogus' is malformed", result.Output);
        Assert.Contains(":4096:8", result.Output);
    }

    [Fact]
    public void A_cpu_build_without_a_libtorch_package_fails_with_the_reference_to_add()
    {
        // The libtorch package announces itself through TorchSharpCpuPackage; overriding it is a project without one.
        var result = Run("build", "--no-restore", "--disable-build-servers", "-p:TorchSharpCpuPackage=false");
        Assert.True(result.ExitCode != 0, result.ToString());
        Assert.Contains("Repro: ReproBackend=cpu but no libtorch package is referenced", result.Output);
        Assert.Contains($"""<PackageReference Include="libtorch-cpu-linux-x64" Version="{RepoPaths.Property("build/Repro.props", "ReproLibTorchCpuVersion")}" />""", result.Output);
    }

    [Fact]
    public void A_cuda_build_with_the_cpu_libtorch_package_fails_before_two_libtorch_copies_can_meet()
    {
        var result = Run("build", "--no-restore", "--disable-build-servers", "-p:ReproBackend=cuda");
        Assert.True(result.ExitCode != 0, result.ToString());
        Assert.Contains("Repro: ReproBackend=cuda but the CPU libtorch package (libtorch-cpu-linux-x64) is referenced", result.Output);
    }

    [Fact]
    public void Unknown_backend_fails_the_build_with_the_fix()
    {
        var result = Run("build", "--disable-build-servers", "-p:ReproBackend=metal");
        Assert.True(result.ExitCode != 0, result.ToString());
        Assert.Contains("Repro: ReproBackend='metal' is not a backend", result.Output);
        Assert.Contains("-p:ReproBackend=cpu", result.Output);
    }
}
