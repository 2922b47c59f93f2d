using System.Diagnostics;
using System.Text.Json.Nodes;
using Repro.Reports;
using Xunit;

namespace Repro.Tests.Integrity;

// Issue 26 rows 7, 13, 15, 16 and 17: whole-document validation names the first bad field before any
// reader trusts the file; size and counts are bounded; reports take short hashes; committed files
// carry no machine's absolute path and no build artifacts.
public sealed class DocumentRowTests
{
    [Theory]
    [InlineData("epochs", "fingerprint.epochs[1]: null")]
    [InlineData("tensors", "fingerprint.tensors[0]: null")]
    public void Row_7_a_null_entry_in_a_verified_file_is_refused_naming_it_and_another_keys_is_skipped(string list, string named)
    {
        using var snapshots = new TempSnapshots();
        var run = IntegrityFiles.CpuRun();
        var path = IntegrityFiles.WriteSealed(snapshots.Store.VerifiedPath(run.Key, IntegrityFiles.Test), run);
        var node = IntegrityFiles.Node(path);
        node["fingerprint"]![list]![list == "epochs" ? 1 : 0] = null;
        node.Remove("digest");
        node["schemaVersion"] = 2;
        IntegrityFiles.Save(path, node);

        var error = Assert.Throws<ReproException>(() => snapshots.Store.ReadVerified(run.Key, IntegrityFiles.Test));

        Assert.Contains(named, error.Message);
        Assert.Empty(snapshots.Store.VerifiedOf(IntegrityFiles.Test, exceptKey: "other/key"));
    }

    public static TheoryData<string, string, string> Row13Edits => new()
    {
        { "fingerprint.bestEpoch", "2147483647", "fingerprint.bestEpoch" },
        { "fingerprint.configuredEpochs", "-1", "fingerprint.configuredEpochs" },
        { "fingerprint.epochs.0.epoch", "-5", "fingerprint.epochs[0].epoch" },
        { "config", "[1, 2]", "config: an object was expected, not array" },
        { "key", "\"nvidia-h200/cuda-13.0\"", "records key nvidia-h200/cuda-13.0" },
        { "test", "\"Other.Test\"", "records key" },
        { "fingerprint.epochs.0.metrics.totalLoss", "\"NaN\"", "is not a finite number" },
        { "fingerprint.epochs.0.metrics.totalLoss", "\"Infinity\"", "is not a finite number" },
        { "fingerprint.epochs.0.metrics.totalLoss", "1e999", "Baseline" },
    };

    [Theory]
    [MemberData(nameof(Row13Edits))]
    public void Row_13_out_of_range_wrong_typed_misfiled_and_non_finite_values_are_refused_naming_the_field(string field, string json, string named)
    {
        using var snapshots = new TempSnapshots();
        var run = IntegrityFiles.CpuRun();
        var path = IntegrityFiles.WriteSealed(snapshots.Store.VerifiedPath(run.Key, IntegrityFiles.Test), run);
        // As an old (unsealed) file, so that the check named is the field's own, not the digest's.
        var text = File.ReadAllText(path);
        var node = IntegrityFiles.Node(path);
        node.Remove("digest");
        node["schemaVersion"] = 2;
        var parts = field.Split('.');
        JsonNode parent = node;
        foreach (var part in parts[..^1]) parent = int.TryParse(part, out var i) ? parent[i]! : parent[part]!;
        parent[parts[^1]] = JsonNode.Parse(json);
        File.WriteAllText(path, node.ToJsonString(ReproJson.Options));
        Assert.NotEqual(text, File.ReadAllText(path));

        var error = Assert.Throws<ReproException>(() => snapshots.Store.ReadVerified(run.Key, IntegrityFiles.Test));

        Assert.Contains(named, error.Message);
    }

    [Fact]
    public void Row_15_a_baseline_with_200k_metric_names_or_over_64_MiB_is_refused_in_seconds()
    {
        using var snapshots = new TempSnapshots();
        var run = IntegrityFiles.CpuRun();
        var path = IntegrityFiles.WriteSealed(snapshots.Store.VerifiedPath(run.Key, IntegrityFiles.Test), run);
        var node = IntegrityFiles.Node(path);
        node.Remove("digest");
        node["schemaVersion"] = 2;
        var many = new JsonObject();
        for (var i = 0; i < 200_000; i++) many["m" + i] = 1.0;
        foreach (var epoch in node["fingerprint"]!["epochs"]!.AsArray()) epoch!["metrics"] = many.DeepClone();
        IntegrityFiles.Save(path, node);
        var clock = Stopwatch.StartNew();

        var wide = Assert.Throws<ReproException>(() => snapshots.Store.ReadVerified(run.Key, IntegrityFiles.Test));

        Assert.Contains("more than 10000", wide.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"took {clock.Elapsed}");

        using (var big = File.Create(path)) big.SetLength(65L << 20);
        var large = Assert.Throws<ReproException>(() => snapshots.Store.ReadVerified(run.Key, IntegrityFiles.Test));
        Assert.Contains("larger than 64 MiB", large.Message);
    }

    [Fact]
    public void Row_16_the_html_report_of_a_run_whose_batch_order_hash_is_none_renders()
    {
        using var snapshots = new TempSnapshots();
        var run = IntegrityFiles.CpuRun();
        run = run with { Fingerprint = run.Fingerprint with { Epochs = [.. run.Fingerprint.Epochs.Select(e => e with { BatchOrderHash = "none" })] } };

        var html = HtmlReport.Render(ReportInput.For(snapshots.Store, run));

        Assert.Contains("<td class=\"mono\">none</td>", html);
    }

    [Fact]
    public void Row_17_a_written_baseline_records_libtorch_relative_to_a_named_root_and_no_benchmark_log_is_committed()
    {
        var home = "/home/someone/.nuget/packages/libtorch-cpu-linux-x64/2.10.0/runtimes/linux-x64/native/libtorch_cpu.so";
        var run = IntegrityFiles.CpuRun();
        run = run with { Environment = run.Environment with { LibTorchPath = home } };

        var written = BaselineSeal.ToJson(run);

        Assert.DoesNotContain("/home/someone", written);
        Assert.Contains("\"libTorchPath\": \"{nuget}/libtorch-cpu-linux-x64/2.10.0/runtimes/linux-x64/native/libtorch_cpu.so\"", written);
        Assert.StartsWith("{python}/torch/lib/", LibTorchPaths.Scrub("/opt/torch/.venv/lib/python3.12/site-packages/torch/lib/libtorch_cpu.so"));
        Assert.StartsWith("{app}/", LibTorchPaths.Scrub(Path.Combine(AppContext.BaseDirectory, "runtimes/linux-x64/native/libtorch_cpu.so")));

        var repository = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(repository.FullName, "Repro.sln"))) repository = repository.Parent!;
        using var git = Process.Start(new ProcessStartInfo("git", ["-C", repository.FullName, "ls-files", "bench"]) { RedirectStandardOutput = true })!;
        var tracked = git.StandardOutput.ReadToEnd();
        git.WaitForExit();
        Assert.Equal(0, git.ExitCode);
        Assert.Contains("bench/", tracked);
        Assert.DoesNotContain("BenchmarkDotNet.Artifacts", tracked);
    }
}
