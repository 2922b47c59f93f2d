using System.Diagnostics;
using Repro.Xunit;
using Xunit;
using Repro.Tests.Environments;

namespace Repro.Tests.Checkpoints;

// kill -9 at random moments of 'repro approve' and 'repro check' (accepting): every verified file is
// afterwards the old one or the new one, complete and readable, and the next run completes and leaves
// no temp file behind. REPRO_KILL_RUNS=50 runs 50 kills of each (docs/bad-input.md); CI runs fewer.
[Collection(ReproCollection.Name)]
public sealed class KillConsistencyTests
{
    static readonly int Runs = int.TryParse(Environment.GetEnvironmentVariable("REPRO_KILL_RUNS"), out var runs) ? runs : 0;

    [Fact]
    public void Approve_killed_at_random_moments_leaves_old_or_new_baselines()
    {
        using var workspace = new CliWorkspace();
        var (old, @new) = TwoRuns();
        // Approval refuses a received file whose environment belongs to another key, so the files keep the key they were trained under.
        var key = @new.Key;
        var tests = Enumerable.Range(0, 12).Select(i => $"kill-{i:00}").ToArray();
        var store = new BaselineStore(workspace.Snapshots);
        void Reset()
        {
            foreach (var test in tests)
            {
                Write(store.VerifiedPath(key, test), old with { Key = key, Test = test });
                Write(store.ReceivedPath(key, test), @new with { Key = key, Test = test });
            }
        }
        string[] approve = [CliProcess.CliPath, "approve", "--key", key, "--snapshots", workspace.Snapshots];

        Reset();
        var full = Stopwatch.StartNew();
        Assert.Equal(0, Start(approve).WaitForExitCode());
        var duration = full.Elapsed;
        var random = new Random(16);
        for (var run = 0; run < (Runs > 0 ? Runs : 8); run++)
        {
            Reset();
            KillAfter(Start(approve), TimeSpan.FromTicks((long)(duration.Ticks * random.NextDouble())));
            foreach (var test in tests) AssertOldOrNew(store.VerifiedPath(key, test), old, @new, $"run {run}");
        }

        Reset();
        Assert.Equal(0, Start(approve).WaitForExitCode());
        foreach (var test in tests) Assert.Equal(@new.Fingerprint.ModelHash, BaselineStore.Read(store.VerifiedPath(key, test)).Fingerprint.ModelHash);
        Assert.Empty(Directory.EnumerateFiles(workspace.Snapshots, "*tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void Check_killed_while_accepting_leaves_the_old_or_the_new_baseline()
    {
        using var workspace = new CliWorkspace();
        var (old, _) = TwoRuns();
        var config = TinyInputs.Write(workspace.Root, "tiny.json", ReproJson.Serialize(TinyInputs.Config));
        var key = EnvironmentFingerprint.Capture().Key;
        var store = new BaselineStore(workspace.Snapshots);
        var verified = store.VerifiedPath(key, "kill-check");
        string[] check = [CliProcess.CliPath, "check", "--config", config, "--device", "cpu", "--snapshots", workspace.Snapshots, "--test", "kill-check", "--no-rerun"];

        Write(verified, old with { Key = key, Test = "kill-check" });
        var full = Stopwatch.StartNew();
        Assert.Equal(0, Start(check, accept: true).WaitForExitCode());
        var duration = full.Elapsed;
        var @new = BaselineStore.Read(verified);
        var random = new Random(17);
        for (var run = 0; run < (Runs > 0 ? Runs : 1); run++)
        {
            Write(verified, old with { Key = key, Test = "kill-check" });
            KillAfter(Start(check, accept: true), TimeSpan.FromTicks((long)(duration.Ticks * (0.5 + 0.5 * random.NextDouble()))));
            AssertOldOrNew(verified, old, @new, $"run {run}");
        }

        Assert.Equal(0, Start(check, accept: true).WaitForExitCode());
        Assert.Equal(@new.Fingerprint.ModelHash, BaselineStore.Read(verified).Fingerprint.ModelHash);
        Assert.Empty(Directory.EnumerateFiles(workspace.Snapshots, "*tmp", SearchOption.AllDirectories));
    }

    // Two complete, valid baselines of this machine's key with different numbers: the tiny config trained
    // with two seeds (a fraction of a second each).
    static (BaselineFile Old, BaselineFile New) TwoRuns()
    {
        BaselineFile Trained(long seed)
        {
            var config = TinyInputs.Config with { Seed = seed, Determinism = TinyInputs.Config.Determinism with { Device = DeviceRequest.Cpu } };
            var run = TrainingHarness.Train(new DualTaskCheck(config));
            return new BaselineFile { Test = config.Name, Key = run.Environment.Key, Config = run.Settings, Environment = run.Environment, Fingerprint = run.Fingerprint };
        }
        var (old, @new) = (Trained(1), Trained(2));
        Assert.NotEqual(old.Fingerprint.ModelHash, @new.Fingerprint.ModelHash);
        return (old, @new);
    }

    static void Write(string path, BaselineFile file)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, ReproJson.Serialize(file));
    }

    static void AssertOldOrNew(string path, BaselineFile old, BaselineFile @new, string when)
    {
        var hash = BaselineStore.Read(path).Fingerprint.ModelHash;
        Assert.True(hash == old.Fingerprint.ModelHash || hash == @new.Fingerprint.ModelHash, $"{when}: {path} holds neither the old nor the new run");
    }

    internal static Process Start(string[] arguments, bool accept = false)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["REPRO_DEVICE"] = "cpu";
        foreach (var ci in CiDetector.Variables) start.Environment.Remove(ci);
        if (accept) start.Environment[AcceptSwitch.Variable] = "true";
        else start.Environment.Remove(AcceptSwitch.Variable);
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    internal static void KillAfter(Process process, TimeSpan delay)
    {
        using (process)
        {
            if (!process.WaitForExit(delay)) process.Kill(entireProcessTree: true); // SIGKILL on Unix
            process.WaitForExit();
        }
    }
}

internal static class ProcessExtensions
{
    internal static int WaitForExitCode(this Process process)
    {
        using (process)
        {
            if (!process.WaitForExit(TimeSpan.FromMinutes(2))) { process.Kill(true); throw new TimeoutException("child ran longer than 2 minutes"); }
            process.WaitForExit();
            return process.ExitCode;
        }
    }
}
