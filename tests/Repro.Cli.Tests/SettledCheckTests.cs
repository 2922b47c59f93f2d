using Repro.Xunit;
using Xunit;

namespace Repro.Cli.Tests;

// 'repro check' never calls a mismatch drift (nor advises accepting it) before the run has reproduced
// in this process, in a second process and in a perturbed one.
[Collection(ReproCollection.Name)]
public sealed class SettledCheckTests
{
    static readonly string Assembly = typeof(RegressionCheck).Assembly.Location;

    static CliResult Check<TCheck>(CliWorkspace workspace) =>
        CliRun.Invoke("check", "--assembly", Assembly, "--check", typeof(TCheck).Name, "--snapshots", workspace.Snapshots);

    [CpuFact(DisplayName = "repro check: unseeded data on a user's check -> the re-run here differs -> exit 3, no accept command")]
    public void A_run_that_differs_here_exits_3()
    {
        using var env = EnvironmentScope.Workstation();
        using var workspace = new CliWorkspace();
        Assert.Equal(2, Check<UnseededNoiseInData>(workspace).ExitCode);
        Assert.Equal(0, CliRun.Invoke("approve", "--device", "cpu", "--snapshots", workspace.Snapshots, "--test", nameof(UnseededNoiseInData)).ExitCode);

        var result = Check<UnseededNoiseInData>(workspace);

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Contains("NOT deterministic", result.Out);
        Assert.DoesNotContain("approve", result.Out);
    }

    [CpuFact(DisplayName = "repro check: hash-ordered units against a baseline from another process -> identical here, different in a second process -> exit 3, not drift")]
    public void Hash_order_is_not_called_drift()
    {
        using var env = EnvironmentScope.Workstation();
        using var workspace = new CliWorkspace();
        using (var probe = new HashOrderedUnits())
        {
            var elsewhere = ChildProcessRun.Train(probe, new DoctorOptions());
            var path = new BaselineStore(workspace.Snapshots).VerifiedPath(elsewhere.Key, nameof(HashOrderedUnits));
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, ReproJson.Serialize(elsewhere with { Test = nameof(HashOrderedUnits) }));
        }

        var result = Check<HashOrderedUnits>(workspace);

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Contains("Re-ran in this process: identical to this run; but a run in a second process DIFFERS", result.Out);
        Assert.DoesNotContain("this is drift", result.Out);
        Assert.DoesNotContain("approve", result.Out);
    }
}
