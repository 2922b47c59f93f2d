using Repro.Xunit;
using Xunit;

namespace Repro.Cli.Tests;

// Exit code 4: every usage or environment mistake prints exactly one 'error:' line that names what
// was typed, then the usage of the command being typed (not the root's), and trains nothing.
[Collection(ReproCollection.Name)]
public sealed class UsageErrorTests
{
    [Theory]
    [InlineData("check --bogus", "check", "'--bogus'")]
    [InlineData("check --device metal", "check", "'metal'")]
    [InlineData("check --epochs many", "check", "'many'")]
    [InlineData("check --config {missing}", "check", "{missing}")]
    [InlineData("approve --key ../x", "approve", "'../x'")]
    [InlineData("report --key cpu/../../etc", "report", "'cpu/../../etc'")]
    [InlineData("frob", "", "'frob'")]
    public void Mistakes_print_one_error_line_and_the_command_usage_and_exit_4(string commandLine, string command, string named)
    {
        using var env = EnvironmentScope.Workstation();
        using var workspace = new CliWorkspace();
        var missing = Path.Combine(workspace.Root, "no-such-config.json");
        var args = commandLine.Replace("{missing}", missing, StringComparison.Ordinal).Split(' ')
            .Concat(command is "" ? [] : ["--snapshots", workspace.Snapshots]).ToArray();

        var result = CliRun.Invoke(args);

        Assert.True(result.ExitCode == 4, result.ToString());
        var lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var error = Assert.Single(lines, l => l.StartsWith("error:", StringComparison.Ordinal));
        Assert.Same(error, lines[0]);
        Assert.Contains(named.Replace("{missing}", missing, StringComparison.Ordinal), error);
        var usage = ("Usage: repro " + command).TrimEnd();
        Assert.StartsWith(usage + " ", lines[1]);
        Assert.Empty(result.Out);
        Assert.False(Directory.Exists(workspace.Snapshots), "a usage error must not train or write anything");
    }

    [Fact]
    public void With_json_a_usage_error_is_also_a_json_document_on_stdout()
    {
        var result = CliRun.Invoke("check", "--device", "metal", "--json");

        Assert.Equal(4, result.ExitCode);
        using var document = System.Text.Json.JsonDocument.Parse(result.Out);
        Assert.Equal("error", document.RootElement.GetProperty("status").GetString());
        Assert.Equal(4, document.RootElement.GetProperty("exitCode").GetInt32());
        Assert.Contains("metal", document.RootElement.GetProperty("error").GetString());
        Assert.StartsWith("error:", result.Error);
    }

    [Fact]
    public void Device_values_are_listed_on_the_error_line()
    {
        var result = CliRun.Invoke("check", "--device", "metal");

        var error = result.Error.Split('\n')[0];
        Assert.Equal(4, result.ExitCode);
        Assert.Contains("--device", error);
        Assert.Contains("'auto', 'cpu', 'cuda'", error);
    }

    [Fact]
    public void Approve_on_ci_is_refused_with_exit_4()
    {
        using var env = EnvironmentScope.Workstation(("CI", "true"));
        using var workspace = new CliWorkspace();

        var result = CliRun.Invoke("approve", "--device", "cpu", "--snapshots", workspace.Snapshots);

        Assert.True(result.ExitCode == 4, result.ToString());
        Assert.StartsWith("error: repro approve was refused: this looks like CI (CI=true)", result.Error);
        Assert.Contains("Usage: repro approve ", result.Error);
    }

    [Fact]
    public void An_unusable_snapshots_folder_is_exit_4_not_a_crash()
    {
        using var env = EnvironmentScope.Workstation();
        using var workspace = new CliWorkspace();
        var blocker = Path.Combine(workspace.Root, "a-file");
        File.WriteAllText(blocker, "not a folder");

        var result = CliRun.Invoke("check", "--config", workspace.Config(), "--device", "cpu", "--snapshots", Path.Combine(blocker, "snapshots"));

        Assert.True(result.ExitCode == 4, result.ToString());
        Assert.StartsWith("error: ", result.Error);
        Assert.Contains("Usage: repro check ", result.Error);
    }
}
