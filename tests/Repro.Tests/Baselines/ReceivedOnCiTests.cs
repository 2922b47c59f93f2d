using Repro.Xunit;
using Xunit;
using static Repro.Tests.Support.DualTask.Fleet;

namespace Repro.Tests.Baselines;

// A received file written on CI says which run made it, so that it can be approved from the artifacts.
[Collection(ReproCollection.Name)]
public sealed class ReceivedOnCiTests
{
    [Fact]
    public void A_run_without_a_baseline_on_GitHub_Actions_writes_its_run_id_commit_and_runner_into_the_received_file()
    {
        using var env = EnvironmentScope.Workstation(("GITHUB_ACTIONS", "true"), ("GITHUB_RUN_ID", "31337"), ("GITHUB_SHA", "feedface"),
            ("GITHUB_JOB", "gpu"), ("RUNNER_NAME", "gpu-h200-01"), ("GITHUB_SERVER_URL", null), ("GITHUB_RUN_ATTEMPT", null), ("REPRO_COMMIT", null));
        using var snapshots = new TempSnapshots();
        var run = Run(H200);

        var outcome = BaselineCheck.Verify(snapshots.Store, Test, new TrainedRun(Test, run.Config, run.Environment, run.Fingerprint), accept: false);

        Assert.Equal(BaselineStatus.Missing, outcome.Status);
        var received = BaselineStore.Read(outcome.ReceivedPath!);
        Assert.Equal(new RunOrigin("github-actions", "31337", null, "gpu", "feedface", "gpu-h200-01"), received.Origin);
    }

    [Fact]
    public void A_run_on_a_workstation_records_no_origin()
    {
        using var env = EnvironmentScope.Workstation();
        using var snapshots = new TempSnapshots();
        var run = Run(H200);

        var outcome = BaselineCheck.Verify(snapshots.Store, Test, new TrainedRun(Test, run.Config, run.Environment, run.Fingerprint), accept: false);

        Assert.Null(BaselineStore.Read(outcome.ReceivedPath!).Origin);
    }
}
