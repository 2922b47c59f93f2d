using Repro.Xunit;
using Xunit;

namespace Repro.Tests.Baselines;

// The settings object: set in code it wins over its variable, set back to null the variable rules
// again, and a request to accept made in code meets the same CI refusal as REPRO_ACCEPT.
[Collection(ReproCollection.Name)]
public sealed class ReproSettingsTests
{
    [Fact]
    public void A_snapshots_folder_set_in_code_wins_over_REPRO_SNAPSHOTS_until_it_is_cleared()
    {
        using var fromVariable = new TempSnapshots();
        using var fromCode = new TempSnapshots();
        using var env = EnvironmentScope.Workstation((ReproSettings.SnapshotsVariable, fromVariable.Root));
        try
        {
            ReproSettings.SnapshotsDirectory = fromCode.Root;
            Assert.Equal(Path.GetFullPath(fromCode.Root), BaselineStore.Default().Root);
            ReproSettings.SnapshotsDirectory = null;
            Assert.Equal(Path.GetFullPath(fromVariable.Root), BaselineStore.Default().Root);
        }
        finally { ReproSettings.SnapshotsDirectory = null; }
    }

    [Fact]
    public void Accept_set_in_code_accepts_on_a_workstation_and_is_refused_on_CI()
    {
        try
        {
            ReproSettings.Accept = true;
            using (EnvironmentScope.Workstation()) Assert.True(AcceptSwitch.IsOn());
            using (EnvironmentScope.Workstation(("CI", "true")))
                Assert.Contains("this looks like CI (CI=true)", Assert.Throws<ReproException>(() => AcceptSwitch.IsOn()).Message);
            ReproSettings.Accept = false;
            using (EnvironmentScope.Workstation((ReproSettings.AcceptVariable, "true"))) Assert.False(AcceptSwitch.IsOn());
        }
        finally { ReproSettings.Accept = null; }
    }

    [Fact]
    public void A_commit_set_in_code_is_what_a_ci_run_records()
    {
        using var env = EnvironmentScope.Workstation(("GITHUB_ACTIONS", "true"), ("GITHUB_SHA", "from-ci"), (ReproSettings.CommitVariable, "from-variable"));
        try
        {
            Assert.Equal("from-variable", RunOrigin.Capture()!.Commit);
            ReproSettings.Commit = "from-code";
            Assert.Equal("from-code", RunOrigin.Capture()!.Commit);
        }
        finally { ReproSettings.Commit = null; }
    }
}
