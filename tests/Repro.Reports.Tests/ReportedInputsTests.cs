using System.Text.Json.Nodes;
using Repro.Xunit;
using Xunit;

namespace Repro.Reports.Tests;

// The inputs of the hardening issue's table, each as a new user would type it: a documented outcome
// with a one-line message, before any training, and nothing written for a refused input.
[Collection(ReproCollection.Name)]
public sealed class ReportedInputsTests
{
    [Fact]
    public void A_config_that_does_not_pin_the_cpu_capability_trains_unpinned_in_a_fresh_process()
    {
        using var workspace = new CliWorkspace();
        var json = TinyInputs.ConfigJson();
        json["determinism"]!["cpuCapability"] = null;
        var config = TinyInputs.Write(workspace.Root, "unpinned.json", json.ToJsonString());

        // A fresh process as a user starts it: without the ATEN_CPU_CAPABILITY this test host pinned.
        void Fresh(IDictionary<string, string?> e) { e.Remove("ATEN_CPU_CAPABILITY"); e["REPRO_DEVICE"] = "cpu"; }
        var (exitCode, output) = ChildProcess.RunDotNet([CliProcess.CliPath, "check", "--config", config, "--device", "cpu", "--snapshots", workspace.Snapshots, "--test", "unpinned"], environment: Fresh);
        var (auditCode, audit) = ChildProcess.RunDotNet([CliProcess.CliPath, "doctor", "--audit-only", "--config", config, "--device", "cpu", "--snapshots", workspace.Snapshots], environment: Fresh);

        Assert.True(exitCode == 2, output);
        Assert.DoesNotContain("Unhandled exception", output);
        // Not pinned means libtorch's own choice for this CPU, not Repro's avx2 default slipped in behind the user's back.
        var key = Assert.Single(Directory.GetDirectories(workspace.Snapshots, "*", SearchOption.TopDirectoryOnly));
        var pinned = EnvironmentFingerprint.Capture().Key.Split('/')[0];
        Assert.Equal(pinned[..pinned.LastIndexOf('-')] + "-" + UnpinnedCapability(), Path.GetFileName(key));
        Assert.True(auditCode is 0 or 1, audit);
        Assert.DoesNotContain("Unhandled exception", audit);
    }

    [Fact]
    public void A_hidden_size_of_zero_is_exit_4_naming_the_field_before_training()
    {
        using var env = EnvironmentScope.Workstation();
        using var workspace = new CliWorkspace();
        var json = TinyInputs.ConfigJson();
        json["model"]!["hiddenSize"] = 0;
        var config = TinyInputs.Write(workspace.Root, "hidden0.json", json.ToJsonString());

        var result = CliRun.Invoke("check", "--config", config, "--device", "cpu", "--snapshots", workspace.Snapshots);

        AssertRefused(result, workspace, "HiddenSize=0");
        Assert.Contains("even and at least 2", result.Error);
    }

    [Fact]
    public void REPRO_DEVICE_cuda_without_a_gpu_is_exit_4_not_a_cpu_pass()
    {
        Assert.SkipWhen(GpuAvailability.IsAvailable, "this machine has a GPU, so REPRO_DEVICE=cuda is satisfiable here");
        using var workspace = new CliWorkspace();
        var config = TinyInputs.Write(workspace.Root, "tiny.json", ReproJson.Serialize(TinyInputs.Config));

        var (exitCode, output) = ChildProcess.RunDotNet([CliProcess.CliPath, "check", "--config", config, "--snapshots", workspace.Snapshots],
            environment: e => e["REPRO_DEVICE"] = "cuda");

        Assert.True(exitCode == 4, output);
        Assert.Contains("error: CUDA was requested (by REPRO_DEVICE=cuda)", output);
        Assert.DoesNotContain("PASS", output);
        Assert.False(Directory.Exists(workspace.Snapshots), output);
    }

    [Fact]
    public void An_explicit_device_overriding_REPRO_DEVICE_is_said_not_silent()
    {
        var (exitCode, output) = ChildProcess.RunDotNet([CliProcess.CliPath, "env", "--device", "cpu"], environment: e => e["REPRO_DEVICE"] = "cuda");

        Assert.True(exitCode == 0, output);
        Assert.Contains("Note: REPRO_DEVICE=cuda is overridden by the explicit device request 'cpu'", output);
    }

    [Fact]
    public void A_file_as_snapshots_folder_is_exit_4_before_training()
    {
        using var env = EnvironmentScope.Workstation();
        using var workspace = new CliWorkspace();
        var file = TinyInputs.Write(workspace.Root, "passwd", "root:x:0:0");

        var result = CliRun.Invoke("check", "--config", workspace.Config(), "--device", "cpu", "--snapshots", file);

        Assert.True(result.ExitCode == 4, result.ToString());
        Assert.StartsWith($"error: --snapshots '{file}' is a file", result.Error);
        Assert.DoesNotContain("Training", result.Out + result.Error);
        Assert.Equal("root:x:0:0", File.ReadAllText(file));
    }

    [Theory]
    [InlineData("../../x")]
    [InlineData(".hidden")]
    [InlineData("a/b")]
    public void A_test_name_that_is_a_path_is_exit_4_before_training(string test)
    {
        using var env = EnvironmentScope.Workstation();
        using var workspace = new CliWorkspace();

        var result = CliRun.Invoke("check", "--config", workspace.Config(), "--device", "cpu", "--snapshots", workspace.Snapshots, "--test", test);

        AssertRefused(result, workspace, $"--test '{test}' cannot name a baseline");
        Assert.DoesNotContain("Training", result.Out + result.Error);
    }

    [Fact]
    public void A_folder_where_the_baseline_file_belongs_is_exit_4_and_writes_no_received_file()
    {
        using var env = EnvironmentScope.Workstation();
        using var workspace = new CliWorkspace();
        var key = EnvironmentFingerprint.Capture().Key;
        var folder = Directory.CreateDirectory(new BaselineStore(workspace.Snapshots).VerifiedPath(key, CliWorkspace.Test)).FullName;
        var before = FolderState.Of(workspace.Snapshots);

        var result = workspace.Check(workspace.Config());

        Assert.True(result.ExitCode == 4, result.ToString());
        Assert.StartsWith($"error: {folder} is a folder, where the baseline file should be", result.Error);
        Assert.DoesNotContain("Training", result.Out + result.Error);
        Assert.Equal(before, FolderState.Of(workspace.Snapshots));
    }

    static void AssertRefused(CliResult result, CliWorkspace workspace, string named)
    {
        Assert.True(result.ExitCode == 4, result.ToString());
        var error = Assert.Single(result.Error.Split('\n'), l => l.StartsWith("error:", StringComparison.Ordinal));
        Assert.Contains(named, error);
        Assert.False(Directory.Exists(workspace.Snapshots), "a refused input must not write anything: " + result);
    }

    // What ATen picks with no ATEN_CPU_CAPABILITY: the best level this CPU has among the x86 ones Repro knows.
    static string UnpinnedCapability()
    {
        var flags = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("flags", StringComparison.Ordinal))?.Split(' ') ?? [];
        if (new[] { "avx512f", "avx512bw", "avx512vl", "avx512dq" }.All(flags.Contains)) return "avx512";
        return flags.Contains("avx2") ? "avx2" : "default";
    }
}
