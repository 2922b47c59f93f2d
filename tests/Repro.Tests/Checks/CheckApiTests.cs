using Repro.Xunit;
using Xunit;

namespace Repro.Tests.Checks;

// The four misuses of the public API the hardening issue names, one test each (the property test
// generates their combinations): each is a ReproException naming the check and the problem.
[Collection(ReproCollection.Name)]
public sealed class CheckApiTests
{
    [Fact]
    public void A_null_comparison_is_refused_before_training_with_the_fix()
    {
        // Its first epoch throws: a refusal that came only after training would be that exception instead.
        var ex = Assert.Throws<ReproException>(() => TrainingHarness.Train(new ScriptedCheck(new CheckScript { NullComparison = true, ThrowInTrainEpoch = true })));

        Assert.Contains("ScriptedCheck.Comparison returned null; return ComparisonOptions.Exact", ex.Message);
    }

    [Fact]
    public void A_NaN_metric_names_the_check_the_metric_and_the_epoch()
    {
        var script = new CheckScript { Name = "nan-check", EpochMetrics = [[("loss", 1)], [("loss", double.NaN)]] };

        var ex = Assert.Throws<ReproException>(() => TrainingHarness.Train(new ScriptedCheck(script)));

        Assert.Contains("'nan-check' reported loss = NaN in epoch 2", ex.Message);
    }

    [Fact]
    public void A_model_without_parameters_is_refused_before_training()
    {
        var ex = Assert.Throws<ReproException>(() => TrainingHarness.Train(new ScriptedCheck(new CheckScript { Name = "empty-model", Model = ModelKind.NoParameters })));

        Assert.Contains("model of check 'empty-model'", ex.Message);
        Assert.Contains("no parameters", ex.Message);
    }

    [Fact]
    public void Metric_names_that_change_between_epochs_are_named_with_both_epochs()
    {
        var script = new CheckScript { Name = "renaming", EpochMetrics = [[("loss", 1)], [("lossTotal", 0.5)]] };

        var ex = Assert.Throws<ReproException>(() => TrainingHarness.Train(new ScriptedCheck(script)));

        Assert.Contains("[lossTotal] in epoch 2 but [loss] in epoch 1", ex.Message);
    }

    [Fact]
    public async Task Two_checks_with_one_baseline_name_are_refused_by_name()
    {
        using var snapshots = new TempSnapshots();
        var store = new BaselineStore(snapshots.Root);
        var one = TrainingHarness.Train(new ScriptedCheck(new CheckScript { Name = "twin", Epochs = 1, EpochMetrics = [[("loss", 1)]] }));
        var other = TrainingHarness.Train(new ScriptedCheck(new CheckScript { Name = "twin", Epochs = 2 }));
        _ = await Record.ExceptionAsync(() => Baseline.VerifyAsync(one, settings: new BaselineSettings { Name = "Twins.Same", SnapshotsDirectory = store.Root }));

        var ex = await Assert.ThrowsAsync<ReproException>(() => Baseline.VerifyAsync(other, settings: new BaselineSettings { Name = "Twins.Same", SnapshotsDirectory = store.Root }));

        Assert.Contains("Two checks verify against the same baseline 'Twins.Same'", ex.Message);
    }

    [Fact]
    public void A_libtorch_failure_says_what_the_harness_was_doing_without_the_cpp_stack()
    {
        var ex = Assert.Throws<ReproException>(() => TrainingHarness.Train(new ScriptedCheck(new CheckScript { Name = "misshapen", ShapeErrorInTrainEpoch = true })));

        Assert.StartsWith("libtorch failed (", ex.Message);
        Assert.Contains("while training epoch 1 (TrainEpoch) of check 'misshapen'", ex.Message);
        Assert.DoesNotContain("Exception raised from", ex.Message);
        Assert.IsType<System.Runtime.InteropServices.ExternalException>(ex.InnerException, exactMatch: false);
    }
}
