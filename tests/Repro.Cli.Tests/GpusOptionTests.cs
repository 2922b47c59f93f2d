using Repro.Cli.Commands;
using Repro.Xunit;
using Xunit;

namespace Repro.Cli.Tests;

// 'repro run --gpus N' refuses what cannot work before training, and hands each rank the command line without --gpus.
[Collection(ReproCollection.Name)]
public sealed class GpusOptionTests
{
    [Theory]
    [InlineData("2", "no GPU is visible here")]
    [InlineData("0", "1 or more")]
    public void A_gpu_count_this_machine_cannot_serve_exits_4_before_training(string gpus, string message)
    {
        using var env = EnvironmentScope.Workstation();
        using var workspace = new CliWorkspace();
        var result = CliRun.Invoke("run", "--device", "cpu", "--gpus", gpus, "--out", Path.Combine(workspace.Root, "run.json"));
        Assert.True(result.ExitCode == 4, result.ToString());
        Assert.Contains(message, result.Error);
        Assert.False(File.Exists(Path.Combine(workspace.Root, "run.json")));
    }

    [Fact]
    public void A_check_that_does_not_train_data_parallel_is_named_with_the_fix()
    {
        var error = Assert.Throws<ReproException>(() => DistributedLauncher.Validate(2, 2, "dualtask-small", new DualTaskCheck(DualTaskConfigs.Resolve("small")).Distributed));
        Assert.Contains("'dualtask-small' does not train data-parallel", error.Message);
        Assert.Contains("DistributedOptions", error.Message);
    }

    [Fact]
    public void Each_rank_runs_the_command_without_the_gpu_count() =>
        Assert.Equal(["run", "--assembly", "a.dll", "--out", "x.json"], DataParallelLaunch.WithoutGpus(["run", "--gpus", "4", "--assembly", "a.dll", "--gpus=4", "--out", "x.json"]));
}
