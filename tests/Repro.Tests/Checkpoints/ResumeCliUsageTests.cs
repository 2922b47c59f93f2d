using Repro.Xunit;
using Xunit;

namespace Repro.Tests.Checkpoints;

// The checkpoint options' mistakes are exit 4 with one error line naming them, before anything trains.
[Collection(ReproCollection.Name)]
public sealed class ResumeCliUsageTests : IDisposable
{
    readonly string _directory = Directory.CreateTempSubdirectory("repro-resume-cli-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData("run --checkpoint-dir {dir}", "--checkpoint-every")]
    [InlineData("run --checkpoint-dir {dir} --stop-after 0", "'0' is not a training position")]
    [InlineData("run --checkpoint-dir {dir} --stop-after 2:x", "'2:x' is not a training position")]
    [InlineData("run --checkpoint-dir {dir} --checkpoint-every 0", "--checkpoint-every 0 must be a positive number")]
    [InlineData("run --checkpoint-dir {dir} --stop-after 9", "beyond the 3 epochs")]
    [InlineData("run --resume {dir}/missing", "{dir}/missing: no such folder")]
    [InlineData("run --resume {dir}", "holds no complete checkpoint")]
    [InlineData("run --stop-after 1", "CheckpointOptions.Directory is not set")]
    public void Mistakes_exit_4_naming_them(string commandLine, string named)
    {
        var result = CliRun.Invoke([.. commandLine.Replace("{dir}", _directory, StringComparison.Ordinal).Split(' '), "--device", "cpu"]);
        Assert.True(result.ExitCode == 4, result.ToString());
        var error = result.Error.Split('\n')[0];
        Assert.StartsWith("error:", error);
        Assert.Contains(named.Replace("{dir}", _directory, StringComparison.Ordinal), error);
        Assert.DoesNotContain("Training", result.Out);
        Assert.Empty(Directory.EnumerateDirectories(_directory, "checkpoint-*"));
    }
}
