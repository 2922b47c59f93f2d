using Repro.Xunit;
using Xunit;

namespace Repro.Tests.Baselines;

/// <summary>The reviewer's workflow end to end on real trainings, in a throw-away snapshots folder.</summary>
[Collection(ReproCollection.Name)]
public sealed class BaselineWorkflowTests
{
    static readonly DualTaskConfig Config = DualTaskConfig.Small with { Epochs = 1 };

    static BaselineOutcome Check(TempSnapshots snapshots, DualTaskConfig config, bool accept = false)
    {
        Repro.Advanced.Determinism.Apply(config.Determinism with { Seed = config.Seed });
        var environment = EnvironmentFingerprint.Capture();
        return BaselineCheck.Verify(snapshots.Store, "Workflow.Check", DualTaskRuns.Run(config, environment, Trainer.Train(config)),
            rerun: () => Trainer.Train(config), accept: accept, isTest: true,
            // Drift is called only once a second process and a perturbed one reproduced the run.
            elsewhere: () => OtherProcessRuns.Of(() => new DualTaskCheck(config)));
    }

    [Fact]
    public void A_changed_learning_rate_fails_with_epoch_one_and_the_first_moved_parameter_then_accepting_passes()
    {
        using var snapshots = new TempSnapshots();
        Assert.Equal(BaselineStatus.Accepted, Check(snapshots, Config, accept: true).Status);
        var verifiedPath = snapshots.Store.VerifiedPath(EnvironmentFingerprint.Capture().Key, "Workflow.Check");
        var before = File.ReadAllText(verifiedPath);

        var changed = Config with { LearningRate = 3e-3 };
        var failed = Check(snapshots, changed);
        Assert.Equal(BaselineStatus.Mismatch, failed.Status);
        Assert.Equal(1, failed.Comparison!.FirstDivergingEpoch);
        Assert.Contains("First divergence: epoch 1", failed.Message);
        Assert.Contains("First moved parameter: ", failed.Message);
        Assert.Contains("configuration changed", failed.Message);
        Assert.Contains("drift", failed.Message);
        Assert.Contains("-p:ReproAccept=true", failed.Message);
        Assert.True(File.Exists(failed.ReceivedPath));
        Assert.Equal(before, File.ReadAllText(verifiedPath));

        Assert.Equal(BaselineStatus.Accepted, Check(snapshots, changed, accept: true).Status);
        Assert.False(File.Exists(failed.ReceivedPath));
        Assert.NotEqual(before, File.ReadAllText(verifiedPath));
        Assert.Equal(BaselineStatus.Passed, Check(snapshots, changed).Status);
        Assert.Empty(Directory.EnumerateFiles(snapshots.Root, "*.received.*", SearchOption.AllDirectories));
    }

    [Fact]
    public void A_missing_baseline_says_so_writes_the_received_file_and_reports_drift_against_other_keys()
    {
        using var snapshots = new TempSnapshots();
        var other = BaselineFiles.File(BaselineFiles.Fingerprint(loss: 5000), "Workflow.Check", BaselineFiles.Environment("cuda", "NVIDIA H100 80GB HBM3"));
        snapshots.Write(other);

        var outcome = Check(snapshots, Config);
        Assert.Equal(BaselineStatus.Missing, outcome.Status);
        Assert.StartsWith($"No baseline for {outcome.Key}", outcome.Message);
        Assert.True(File.Exists(outcome.ReceivedPath));
        Assert.Contains("nvidia-h100-80gb-hbm3/cuda-13.0", outcome.Message);
        Assert.Contains($"approve --key {outcome.Key} --test Workflow.Check", outcome.Message);
        var entry = Assert.Single(outcome.Drift!.Entries);
        Assert.True(entry.MaxRelativeLossDifference > 0);
    }
}
