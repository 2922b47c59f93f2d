using Repro.Reports;
using Repro.Xunit;
using Xunit;
using Repro.Tests.Doctor;

namespace Repro.Tests.Checks;

// A tolerance is declared once, on the check, and every route compares with it: the test, repro check,
// repro diff, the report and the doctor give one answer for one run against one baseline.
[Collection(ReproCollection.Name)]
public sealed class DeclaredToleranceTests
{
    static readonly string Assembly = typeof(TolerantCheck).Assembly.Location;
    const string Test = nameof(TolerantCheck);

    static string[] Args(string command, CliWorkspace workspace, params string[] more) =>
        [command, "--assembly", Assembly, "--check", nameof(TolerantCheck), "--snapshots", workspace.Snapshots, .. more];

    [Fact]
    public async Task The_test_the_cli_the_report_and_the_doctor_agree_on_a_declared_tolerance()
    {
        using var env = EnvironmentScope.Workstation();
        using var workspace = new CliWorkspace();
        var settings = new BaselineSettings { Name = Test, SnapshotsDirectory = workspace.Snapshots };
        try
        {
            (TolerantCheck.Offset, TolerantCheck.Exact) = (0, false);
            Assert.Equal(2, CliRun.Invoke(Args("check", workspace)).ExitCode);
            var approved = CliRun.Invoke("approve", "--device", "cpu", "--snapshots", workspace.Snapshots, "--test", Test);
            Assert.True(approved.ExitCode == 0, approved.ToString());

            // Within the tolerance: every route passes.
            TolerantCheck.Offset = TolerantCheck.Allowed / 10;
            var verdict = await Baseline.VerifyAsync(() => new TolerantCheck(), settings);
            Assert.False(verdict.Accepted);
            Assert.Equal(TolerantCheck.Allowed, verdict.Fingerprint.Comparison!.For("loss").Absolute);
            var check = CliRun.Invoke(Args("check", workspace));
            Assert.True(check.ExitCode == 0, check.ToString());
            var diff = CliRun.Invoke("diff", "--snapshots", workspace.Snapshots);
            Assert.True(diff.ExitCode == 0, diff.ToString());
            var store = new BaselineStore(workspace.Snapshots);
            var run = TrainingHarness.Train(new TolerantCheck());
            var current = new BaselineFile { Test = Test, Key = verdict.Key, Config = run.Settings, Environment = run.Environment, Fingerprint = run.Fingerprint };
            Assert.True(ReportInput.For(store, current).Comparison!.Passed);
            var doctor = CliRun.Invoke(Args("doctor", workspace, "--test", Test));
            Assert.DoesNotContain(DoctorCodes.BaselineDrift, doctor.Out);

            // (Trained afresh: VerifyAsync shares one run per check and settings within a test run.)
            // The same move with the declaration switched off: every route fails, so the tolerance is what passed it.
            TolerantCheck.Exact = true;
            await Assert.ThrowsAsync<BaselineMismatchException>(() => Baseline.VerifyAsync(TrainingHarness.Train(new TolerantCheck()), settings: settings));
            var exactCheck = CliRun.Invoke(Args("check", workspace));
            Assert.True(exactCheck.ExitCode != 0, exactCheck.ToString());
            var exactDiff = CliRun.Invoke("diff", "--snapshots", workspace.Snapshots);
            Assert.True(exactDiff.ExitCode == 1, exactDiff.ToString());

            // Beyond the tolerance, declared: every route fails too.
            (TolerantCheck.Offset, TolerantCheck.Exact) = (TolerantCheck.Allowed * 10, false);
            await Assert.ThrowsAsync<BaselineMismatchException>(() => Baseline.VerifyAsync(TrainingHarness.Train(new TolerantCheck()), settings: settings));
            var beyond = CliRun.Invoke(Args("check", workspace));
            Assert.True(beyond.ExitCode != 0, beyond.ToString());
            Assert.Equal(1, CliRun.Invoke("diff", "--snapshots", workspace.Snapshots).ExitCode);
        }
        finally
        {
            (TolerantCheck.Offset, TolerantCheck.Exact) = (0, false);
        }
    }
}
