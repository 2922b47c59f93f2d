
namespace Repro.Tests.Support.Cli;

// A temporary snapshots folder and config files for one test, removed afterwards.
internal sealed class CliWorkspace : IDisposable
{
    internal const string Test = "cli-exit-codes";

    internal CliWorkspace()
    {
        Root = Directory.CreateTempSubdirectory("repro-cli-").FullName;
        Snapshots = Path.Combine(Root, "snapshots");
    }

    internal string Root { get; }

    internal string Snapshots { get; }

    /// <summary>The small config trained for one epoch (about a second on two cores), as a JSON file.</summary>
    internal string Config(string fileName = "config.json", double? learningRate = null)
    {
        var config = DualTaskConfig.Small with { Epochs = 1 };
        if (learningRate is { } lr) config = config with { LearningRate = lr };
        var path = Path.Combine(Root, fileName);
        File.WriteAllText(path, ReproJson.Serialize(config));
        return path;
    }

    /// <summary>repro check on the CPU against this workspace's snapshots, always under the same test name.</summary>
    internal CliResult Check(string config) =>
        CliRun.Invoke("check", "--config", config, "--device", "cpu", "--snapshots", Snapshots, "--test", Test);

    internal CliResult Approve() =>
        CliRun.Invoke("approve", "--device", "cpu", "--snapshots", Snapshots, "--test", Test);

    internal IEnumerable<string> Files(string suffix) =>
        Directory.Exists(Snapshots) ? Directory.EnumerateFiles(Snapshots, "*" + suffix, SearchOption.AllDirectories) : [];

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { /* a leftover temp folder must not fail the test that used it */ }
    }
}
