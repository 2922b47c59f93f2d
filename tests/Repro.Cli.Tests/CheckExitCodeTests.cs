using Repro.Xunit;
using Xunit;

namespace Repro.Cli.Tests;

// Exit codes 0, 1 and 2 of 'repro check', each reached by really training (one epoch of the small
// config) against a temporary snapshots folder, through the same command tree the executable runs.
[Collection(ReproCollection.Name)]
public sealed class CheckExitCodeTests
{
    [Fact]
    public void Check_without_a_baseline_exits_2_and_leaves_a_received_file()
    {
        using var env = EnvironmentScope.Workstation();
        using var workspace = new CliWorkspace();

        var result = workspace.Check(workspace.Config());

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("No baseline for ", result.Out);
        Assert.Contains("approve --key ", result.Out);
        Assert.Single(workspace.Files(BaselineStore.ReceivedSuffix));
        Assert.Empty(workspace.Files(BaselineStore.VerifiedSuffix));
    }

    [Fact]
    public void Check_after_approve_exits_0_and_clears_the_received_file()
    {
        using var env = EnvironmentScope.Workstation();
        using var workspace = new CliWorkspace();
        var config = workspace.Config();
        Assert.Equal(2, workspace.Check(config).ExitCode);

        var approved = workspace.Approve();
        var result = workspace.Check(config);

        Assert.True(approved.ExitCode == 0, approved.ToString());
        Assert.Contains("Accepted ", approved.Out);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("matches", result.Out);
        Assert.Single(workspace.Files(BaselineStore.VerifiedSuffix));
        Assert.Empty(workspace.Files(BaselineStore.ReceivedSuffix));
    }

    [Fact]
    public void Check_with_another_learning_rate_exits_1_naming_epoch_1_and_a_parameter()
    {
        using var env = EnvironmentScope.Workstation();
        using var workspace = new CliWorkspace();
        Assert.Equal(2, workspace.Check(workspace.Config()).ExitCode);
        Assert.Equal(0, workspace.Approve().ExitCode);

        var result = workspace.Check(workspace.Config("faster.json", learningRate: 3e-3));

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("First divergence: epoch 1,", result.Out);
        Assert.Matches(@"First moved parameter: \S+ \(\d+ tensors? moved\)", result.Out);
        Assert.Contains("configuration changed", result.Out);
        // The default re-run trained the new config twice and found it stable: drift, not exit 3.
        Assert.Contains("this is drift", result.Out);
        Assert.Single(workspace.Files(BaselineStore.ReceivedSuffix));
    }
}
