using Repro.Xunit;
using Xunit;

namespace Repro.Tests.Baselines;

// Drift needs a recorded change (issue 23): a baseline records the config, the code (the check's
// assembly, Repro's version) and the environment; a reproducing mismatch with none of them changed is a
// training that does not reproduce over time, named so, and never offered for acceptance.
[Collection(ReproCollection.Name)]
public sealed class RecordedChangeTests
{
    static TrainedRun TrainAt(int minute)
    {
        using var clock = EnvironmentScope.Workstation((ClockSeededNoise.MinuteVariable, minute.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return TrainingHarness.Train(new ClockSeededNoise());
    }

    static BaselineOutcome VerifyAt(BaselineStore store, int minute)
    {
        var run = TrainAt(minute);
        // The in-process re-run and a "second process" of the same minute agree, as they do within one minute.
        return BaselineCheck.Verify(store, nameof(ClockSeededNoise), run, rerun: () => TrainAt(minute).Fingerprint,
            accept: false, elsewhere: () => [new OtherRun("a second process", TrainAt(minute).Fingerprint)]);
    }

    [CpuFact(DisplayName = "Check: clock-seeded data, approved at one minute, checked at the next -> NON-DETERMINISTIC over time (same config, code and environment), no advice to accept; " +
        "at the approved minute it passes")]
    public void A_move_without_a_recorded_change_is_not_drift()
    {
        using var snapshots = new TempSnapshots();
        var approved = BaselineCheck.Verify(snapshots.Store, nameof(ClockSeededNoise), TrainAt(1), accept: true);
        Assert.Equal(BaselineStatus.Accepted, approved.Status);
        Assert.NotNull(snapshots.Store.ReadVerified(approved.Key, nameof(ClockSeededNoise))!.Fingerprint.Code);

        var later = VerifyAt(snapshots.Store, 2);

        Assert.True(later.Status == BaselineStatus.NonDeterministic, later.Message);
        Assert.Contains("nothing that could explain the move changed since the baseline was recorded", later.Message);
        Assert.Contains("does NOT reproduce over time", later.Message);
        Assert.Contains("the clock", later.Message);
        Assert.DoesNotContain("approve", later.Message);
        Assert.DoesNotContain("drift", later.Message);
        Assert.Equal(BaselineStatus.Passed, VerifyAt(snapshots.Store, 1).Status);
    }

    [Fact(DisplayName = "Recorded changes: config, code and environment differences are each named; none is none; a baseline without a code record cannot tell")]
    public void Recorded_changes_name_what_changed()
    {
        var run = BaselineFiles.File(BaselineFiles.Fingerprint() with { Code = "A.dll sha256:1; Repro 1" });
        Assert.Empty(RecordedChanges.Between(run, run)!);
        Assert.Null(RecordedChanges.Between(run with { Fingerprint = run.Fingerprint with { Code = null } }, run));
        var changed = RecordedChanges.Between(run, run with
        {
            Fingerprint = run.Fingerprint with { Code = "A.dll sha256:2; Repro 1", ConfigHash = "other" },
            Environment = run.Environment with { TorchSharpVersion = "0.108.0" },
        })!;
        Assert.Equal(3, changed.Count);
        Assert.Contains(changed, c => c.StartsWith("config ", StringComparison.Ordinal) && c.EndsWith("-> other", StringComparison.Ordinal));
        Assert.Contains(changed, c => c == "code A.dll sha256:1; Repro 1 -> A.dll sha256:2; Repro 1");
        Assert.Contains(changed, c => c.Contains("TorchSharp was 0.107.0", StringComparison.Ordinal));
    }
}
