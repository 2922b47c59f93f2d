using System.Text.Json;
using Repro.Tests.MsBuild;
using Repro.Xunit;
using Xunit;

namespace Repro.Tests.Cli;

// 'repro status' on the repository's committed snapshots.
[Collection(ReproCollection.Name)]
public sealed class StatusCommandTests
{
    static readonly string Committed = Path.Combine(RepoPaths.Root, "snapshots");

    const string H100 = "nvidia-h100-80gb-hbm3/cuda-13.0";
    const string H200 = "nvidia-h200/cuda-13.0";

    [Fact]
    public void Status_lists_the_committed_cpu_and_gpu_baselines_none_stale_and_H100_with_H200_as_one_group()
    {
        using var env = EnvironmentScope.Workstation();

        var result = CliRun.Invoke("status", "--json", "--snapshots", Committed);

        Assert.True(result.ExitCode == 0, result.ToString());
        using var document = JsonDocument.Parse(result.Out);
        var root = document.RootElement;
        var keys = root.GetProperty("keys").EnumerateArray().Select(k => k.GetString()).ToList();
        Assert.Contains("cpu-intel-avx2/libtorch-2.10.0-threads-2", keys);
        Assert.Contains("cpu-amd-avx2/libtorch-2.10.0-threads-2", keys);
        Assert.Contains(H100, keys);
        Assert.Contains(H200, keys);
        var tests = root.GetProperty("tests").EnumerateArray().ToDictionary(t => t.GetProperty("test").GetString()!);
        foreach (var test in new[] { "dualtask-chapter", "ReproducibilitySuite.ChapterConfigOnCuda" })
        {
            var groups = tests[test].GetProperty("groups").EnumerateArray().ToList();
            var members = Assert.Single(groups).GetProperty("holders").EnumerateArray().Concat(groups[0].GetProperty("aliases").EnumerateArray())
                .Select(k => k.GetString()).Order(StringComparer.Ordinal).ToList();
            Assert.Equal([H100, H200], members);
        }
        // Every committed baseline was approved with the settings the built-in checks have now.
        var cells = tests.Values.SelectMany(t => t.GetProperty("cells").EnumerateArray()).Where(c => c.GetProperty("state").GetString() != "none").ToList();
        Assert.NotEmpty(cells);
        Assert.All(cells, c => Assert.False(c.GetProperty("stale").GetBoolean(), c.ToString()));
    }

    [Fact]
    public void Status_as_text_and_markdown_names_each_key_the_approval_commit_and_the_group()
    {
        using var env = EnvironmentScope.Workstation();

        var text = CliRun.Invoke("status", "--snapshots", Committed);
        var markdown = CliRun.Invoke("status", "--markdown", "--snapshots", Committed);
        var both = CliRun.Invoke("status", "--markdown", "--json", "--snapshots", Committed);

        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.Matches($@"\n  {H100.Replace(".", @"\.")} +(baseline|shares nvidia-h200/cuda-13\.0), approved 2026-11-23 \d\d:\d\d UTC at [0-9a-f]{{8}} by ", text.Out);
        Assert.Contains("group A: nvidia-h100-80gb-hbm3/cuda-13.0, nvidia-h200/cuda-13.0 hold bit-identical numbers (model f3255b01319f)", text.Out);
        Assert.StartsWith("### Repro baselines\n\n| test | `cpu-amd-avx2/libtorch-2.10.0-threads-2` |", markdown.Out);
        Assert.Contains("| dualtask-chapter | - | - |", markdown.Out);
        Assert.Equal(4, both.ExitCode);
    }
}
