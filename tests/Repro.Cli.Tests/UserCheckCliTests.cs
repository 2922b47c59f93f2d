using Repro.Xunit;
using Xunit;

namespace Repro.Cli.Tests;

// The CLI on a user's own check, loaded from its assembly by type name: the same check / approve /
// check loop and the doctor as for the built-in DualTask configurations.
[Collection(ReproCollection.Name)]
public sealed class UserCheckCliTests
{
    static readonly string Assembly = typeof(TinyMlpCheck).Assembly.Location;

    static string[] Args(string command, CliWorkspace workspace, params string[] more) =>
        [command, "--assembly", Assembly, "--check", nameof(TinyMlpCheck), "--snapshots", workspace.Snapshots, .. more];

    [Fact]
    public void A_user_check_goes_from_no_baseline_through_approve_to_pass()
    {
        using var env = EnvironmentScope.Workstation();
        using var workspace = new CliWorkspace();

        var first = CliRun.Invoke(Args("check", workspace));
        var approved = CliRun.Invoke("approve", "--device", "cpu", "--snapshots", workspace.Snapshots, "--test", nameof(TinyMlpCheck));
        var second = CliRun.Invoke(Args("check", workspace));

        Assert.True(first.ExitCode == 2, first.ToString());
        Assert.Contains("No baseline for ", first.Out);
        Assert.True(approved.ExitCode == 0, approved.ToString());
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Contains($"PASS {nameof(TinyMlpCheck)}", second.Out);
    }

    [Fact]
    public void The_doctor_diagnoses_a_user_check_from_its_assembly_in_and_across_processes()
    {
        using var env = EnvironmentScope.Workstation();
        using var workspace = new CliWorkspace();

        var result = CliRun.Invoke(Args("doctor", workspace, "--processes"));

        Assert.True(result.ExitCode is 0 or 1, result.ToString());
        Assert.Contains($"repro doctor: {nameof(TinyMlpCheck)} on cpu", result.Out);
        Assert.Contains("Same process, two runs: identical", result.Out);
        Assert.Contains("Two processes:          identical", result.Out);
    }

    [Fact]
    public void A_type_that_is_not_a_check_is_refused_with_the_checks_the_assembly_has()
    {
        using var workspace = new CliWorkspace();

        var result = CliRun.Invoke("check", "--assembly", Assembly, "--check", nameof(UserCheckCliTests), "--snapshots", workspace.Snapshots);

        Assert.Equal(4, result.ExitCode);
        Assert.Contains("is not a concrete Repro.TrainingCheck", result.Error + result.Out);
        Assert.Contains(typeof(TinyMlpCheck).FullName!, result.Error + result.Out);
    }
}
