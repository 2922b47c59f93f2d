using System.Text.Json;
using Repro.Xunit;
using Xunit;

namespace Repro.Cli.Tests;

// 'repro status' on the repository's committed snapshots.
[Collection(ReproCollection.Name)]
public sealed class StatusCommandTests
{
    static readonly string Committed = Path.Combine(RepoPaths.Root, "snapshots");

    const string Cpu = "cpu-x86-avx2/libtorch-2.10.0-threads-2";

    // Every key folder committed under snapshots/, as status must list them.
    static List<string> CommittedKeys() =>
        [.. Directory.EnumerateDirectories(Committed).SelectMany(Directory.EnumerateDirectories)
            .Select(d => Path.GetRelativePath(Committed, d).Replace('\\', '/')).Order(StringComparer.Ordinal)];

    [Fact]
    public void Status_lists_every_committed_key_and_no_stale_baseline()
    {
        using var env = EnvironmentScope.Workstation();

        var result = CliRun.Invoke("status", "--json", "--snapshots", Committed);

        Assert.True(result.ExitCode == 0, result.ToString());
        using var document = JsonDocument.Parse(result.Out);
        var root = document.RootElement;
        var keys = root.GetProperty("keys").EnumerateArray().Select(k => k.GetString()!).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(CommittedKeys(), keys);
        Assert.Contains(Cpu, keys);
        var tests = root.GetProperty("tests").EnumerateArray().ToDictionary(t => t.GetProperty("test").GetString()!);
        Assert.Contains("dualtask-small", tests.Keys);
        // Every committed baseline was approved with the settings the built-in checks have now.
        var cells = tests.Values.SelectMany(t => t.GetProperty("cells").EnumerateArray()).Where(c => c.GetProperty("state").GetString() != "none").ToList();
        Assert.NotEmpty(cells);
        Assert.All(cells, c => Assert.False(c.GetProperty("stale").GetBoolean(), c.ToString()));
    }

    [Fact]
    public void Status_as_text_and_markdown_names_each_key_and_the_approval_commit()
    {
        using var env = EnvironmentScope.Workstation();

        var text = CliRun.Invoke("status", "--snapshots", Committed);
        var markdown = CliRun.Invoke("status", "--markdown", "--snapshots", Committed);
        var both = CliRun.Invoke("status", "--markdown", "--json", "--snapshots", Committed);

        Assert.True(text.ExitCode == 0, text.ToString());
        foreach (var key in CommittedKeys())
            Assert.Matches($@"\n  {key.Replace(".", @"\.")} +baseline, approved 20\d\d-\d\d-\d\d \d\d:\d\d UTC at [0-9a-f]{{8}} by ", text.Out);
        Assert.StartsWith($"### Repro baselines\n\n| test | `{CommittedKeys()[0]}` |", markdown.Out);
        Assert.Equal(4, both.ExitCode);
    }
}
