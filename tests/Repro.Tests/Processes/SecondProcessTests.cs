using Xunit;

namespace Repro.Tests.Processes;

// Where a second process comes from (the test executable that Repro.Xunit's build files mark, else the
// CLI), when none can rebuild a check, and what a verdict says then: never drift, never "accept".
[Collection(ReproCollection.Name)]
public sealed class SecondProcessTests
{
    [Fact]
    public void A_test_project_built_with_Repro_Xunit_serves_as_its_own_second_process()
    {
        Assert.NotNull(ChildProcessRun.TestExecutable(typeof(TinyMlpCheck).Assembly));
        Assert.Null(ChildProcessRun.TestExecutable(typeof(DualTaskCheck).Assembly));
        using var check = new TinyMlpCheck();
        var here = TrainingHarness.Train(new TinyMlpCheck()).Fingerprint;
        var there = ChildProcessRun.Train(check, new DoctorOptions()).Fingerprint;
        Assert.Equal(here.ModelHash, there.ModelHash);
        Assert.Equal(here.Epochs.Select(e => e.Metrics["loss"]), there.Epochs.Select(e => e.Metrics["loss"]));
    }

    [Fact]
    public void A_factory_whose_settings_the_constructor_does_not_build_has_no_second_process()
    {
        using var check = new TunableCheck { Rate = 0.01 };
        var why = ChildProcessRun.Unavailable(check, new DoctorOptions());
        Assert.NotNull(why);
        Assert.Contains("this instance has other settings", why);
        Assert.Contains("let the parameterless constructor build these settings", why);
        using var defaults = new TunableCheck();
        Assert.Null(ChildProcessRun.Unavailable(defaults, new DoctorOptions()));
    }

    [Fact]
    public void A_check_without_a_public_parameterless_constructor_has_no_second_process()
    {
        using var check = new TinyMlpCheck(() => false);
        Assert.Null(ChildProcessRun.Unavailable(check, new DoctorOptions()));
        using var hidden = new HiddenCheck();
        Assert.Contains("has no public parameterless constructor", ChildProcessRun.Unavailable(hidden, new DoctorOptions()));
    }

    [Fact]
    public void A_reproducing_mismatch_no_second_process_settled_is_not_called_drift()
    {
        using var snapshots = new TempSnapshots();
        var baseline = TrainingHarness.Train(new TunableCheck());
        var store = snapshots.Store;
        snapshots.Write(new BaselineFile { Test = "Tunable.Test", Key = baseline.Environment.Key, Config = baseline.Settings, Environment = baseline.Environment, Fingerprint = baseline.Fingerprint });
        var changed = TrainingHarness.Train(new TunableCheck { Rate = 0.02 });

        var outcome = BaselineCheck.Verify(store, "Tunable.Test", changed, rerun: () => TrainingHarness.Train(new TunableCheck { Rate = 0.02 }).Fingerprint,
            elsewhereUnavailable: "the reason given");

        Assert.Equal(BaselineStatus.Mismatch, outcome.Status);
        Assert.Contains("Re-ran in this process: identical to this run; but no second process could train it (the reason given)", outcome.Message);
        Assert.Contains("this is not called drift", outcome.Message);
        Assert.DoesNotContain("this is drift", outcome.Message);
        Assert.DoesNotContain("To accept", outcome.Message);
    }

    [Fact]
    public void A_resumed_run_that_differed_is_never_approved()
    {
        using var snapshots = new TempSnapshots();
        var run = TrainingHarness.Train(new TunableCheck());
        snapshots.Write(new BaselineFile { Test = "Tunable.Resumes", Key = run.Environment.Key, Config = run.Settings, Environment = run.Environment, Fingerprint = run.Fingerprint, ResumedFrom = "1:2" },
            BaselineStore.ReceivedSuffix);

        var refused = Assert.Throws<ReproException>(() => snapshots.Store.Approve(run.Environment.Key, null, allKeys: false, route: "test"));

        Assert.Contains("it is a resumed run (interrupted at 1:2)", refused.Message);
        Assert.Empty(snapshots.Store.AllVerified());
    }

    sealed class HiddenCheck : TrainingCheck
    {
        public override int Epochs => 1;
        protected internal override TorchSharp.torch.nn.Module CreateModel(TrainingContext context) => TorchSharp.torch.nn.Linear(1, 1);
        protected internal override TorchSharp.torch.optim.Optimizer CreateOptimizer(TorchSharp.torch.nn.Module model, TrainingContext context) => TorchSharp.torch.optim.SGD(model.parameters(), 0.1);
        protected internal override Metrics TrainEpoch(EpochContext context) => new() { ["loss"] = 0 };
    }
}
