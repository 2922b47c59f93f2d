using Xunit;

namespace Repro.Tests.Processes;

// The one naming rule: outside its test, a check's baseline is the test's that records the check.
[Collection(ReproCollection.Name)]
public sealed class BaselineNameTests
{
    static readonly TrainedRun Run = TrainingHarness.Train(new TunableCheck());

    static void Write(TempSnapshots snapshots, string test, TrainedRun run, string suffix = BaselineStore.VerifiedSuffix) =>
        snapshots.Write(new BaselineFile { Test = test, Key = run.Environment.Key, Config = run.Settings, Environment = run.Environment, Fingerprint = run.Fingerprint }, suffix);

    [Fact]
    public void The_baseline_of_a_check_is_the_test_that_records_it()
    {
        using var snapshots = new TempSnapshots();
        using var check = new TunableCheck();
        Assert.Equal(nameof(TunableCheck), snapshots.Store.TestOf(check));
        Write(snapshots, "TunableTests.Pending", Run, BaselineStore.ReceivedSuffix);
        Assert.Equal("TunableTests.Pending", snapshots.Store.TestOf(check));
        Write(snapshots, "TunableTests.Training_reproduces", Run);
        Assert.Equal("TunableTests.Training_reproduces", snapshots.Store.TestOf(check));
    }

    [Fact]
    public void Of_several_tests_the_one_recorded_with_the_current_settings_holds_the_baseline()
    {
        using var snapshots = new TempSnapshots();
        Write(snapshots, "TunableTests.Default", Run);
        Write(snapshots, "TunableTests.Slow", TrainingHarness.Train(new TunableCheck { Rate = 0.01 }));
        using var check = new TunableCheck();
        Assert.Equal("TunableTests.Default", snapshots.Store.TestOf(check));
        Write(snapshots, "TunableTests.Again", Run);
        var ambiguous = Assert.Throws<ReproException>(() => snapshots.Store.TestOf(check));
        Assert.Equal($"Baselines of TunableCheck are held by 3 tests under {snapshots.Root}: TunableTests.Again, TunableTests.Default, TunableTests.Slow. Pass the one to use with --test.", ambiguous.Message);
    }
}
