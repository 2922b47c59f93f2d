using Repro.Xunit;
using Xunit;

namespace Repro.Cli.Tests;

// The one error line the CLI prints for each mistake, whole, as approved text; the folder of the
// workspace is written as {workspace} so the text is the same on every machine.
[Collection(ReproCollection.Name)]
public sealed class CliErrorSnapshotTests
{
    static readonly string[] Mistakes =
    [
        "check --bogus",
        "check --device metal",
        "check --epochs many",
        "check --config {workspace}/no-such-config.json",
        "check --config learning",
        "approve --key ../x",
        "approve --from {workspace}/no-such-artifacts",
        "report --key cpu/../../etc",
        "diff --test ../escape",
        "frob",
    ];

    [Fact]
    public void The_cli_error_lines_read_as_approved()
    {
        using var env = EnvironmentScope.Workstation();
        using var workspace = new CliWorkspace();
        var lines = new List<string>();
        foreach (var mistake in Mistakes)
        {
            var args = mistake.Replace("{workspace}", workspace.Root, StringComparison.Ordinal).Split(' ')
                .Concat(mistake == "frob" ? [] : ["--snapshots", workspace.Snapshots]).ToArray();
            var result = CliRun.Invoke(args);
            var error = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "(no error line)";
            lines.Add($"repro {mistake}\n  exit {result.ExitCode}: {error.Replace(workspace.Root, "{workspace}", StringComparison.Ordinal)}");
        }

        Snapshot.Match(string.Join("\n", lines), "cli-errors");
    }
}
