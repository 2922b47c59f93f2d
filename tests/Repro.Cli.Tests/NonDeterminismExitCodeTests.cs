using Repro.Cli.Commands;
using Repro.Xunit;
using Xunit;

namespace Repro.Cli.Tests;

// Exit code 3 in two halves: BaselineCheck.Verify reports NonDeterministic when the re-run differs,
// and the check command maps every status, that one included, to its documented exit code. The whole
// route, from the command line on a non-deterministic user's check, is SettledCheckTests.
[Collection(ReproCollection.Name)]
public sealed class NonDeterminismExitCodeTests
{
    [Theory]
    [InlineData(nameof(BaselineStatus.Passed), 0)]
    [InlineData(nameof(BaselineStatus.Accepted), 0)]
    [InlineData(nameof(BaselineStatus.Mismatch), 1)]
    [InlineData(nameof(BaselineStatus.Missing), 2)]
    [InlineData(nameof(BaselineStatus.NonDeterministic), 3)]
    public void Each_status_maps_to_its_documented_exit_code(string status, int documented) =>
        Assert.Equal(documented, CheckCommand.ExitCodeOf(Enum.Parse<BaselineStatus>(status)));

    [Fact]
    public void Every_status_has_an_exit_code() =>
        // A status added later without a mapping throws here instead of exiting with a wrong code.
        Assert.All(Enum.GetValues<BaselineStatus>(), s => Assert.InRange(CheckCommand.ExitCodeOf(s), 0, 3));

    [Fact]
    public void A_rerun_that_differs_is_non_deterministic_and_exits_3_while_an_identical_one_is_drift()
    {
        using var env = EnvironmentScope.Workstation();
        using var workspace = new CliWorkspace();
        var store = new BaselineStore(workspace.Snapshots);
        var config = DualTaskConfig.Small with { Epochs = 1 };
        Determinism.Apply(config.Determinism with { Seed = config.Seed });
        var environment = EnvironmentFingerprint.Capture();
        var baseline = Trainer.Train(config);
        Assert.Equal(BaselineStatus.Missing, BaselineCheck.Verify(store, CliWorkspace.Test, DualTaskRuns.Run(config, environment, baseline), accept: false).Status);
        store.Approve(environment.Key, CliWorkspace.Test, allKeys: false, route: "test");
        var moved = Nudge(baseline, 1e-6);
        var movedAgain = Nudge(baseline, 2e-6);

        var stable = BaselineCheck.Verify(store, CliWorkspace.Test, DualTaskRuns.Run(config, environment, moved), rerun: () => moved, accept: false);
        var unstable = BaselineCheck.Verify(store, CliWorkspace.Test, DualTaskRuns.Run(config, environment, moved), rerun: () => movedAgain, accept: false);

        Assert.Equal(BaselineStatus.Mismatch, stable.Status);
        Assert.Equal(1, CheckCommand.ExitCodeOf(stable.Status));
        Assert.Equal(BaselineStatus.NonDeterministic, unstable.Status);
        Assert.Contains("NOT deterministic", unstable.Message);
        Assert.Equal(3, CheckCommand.ExitCodeOf(unstable.Status));
    }

    // The same run with epoch 1's total loss shifted: what a second, non-deterministic run looks like.
    static TrainingFingerprint Nudge(TrainingFingerprint run, double delta) =>
        run with { Epochs = [run.Epochs[0].With("totalLoss", run.Epochs[0].Metrics["totalLoss"] + delta), .. run.Epochs.Skip(1)] };
}
