using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Repro.Xunit;
using Xunit;

namespace Repro.Tests.Checkpoints;

/// <summary>
/// kill -9 of 'repro run' while it trains with checkpoints, then 'repro run --resume' in a new process:
/// the resumed run ends with the fingerprint of the uninterrupted one (the pipeline tests' two-epoch
/// small config), whether the kill came between checkpoints or while one was being written.
/// </summary>
[Collection(ReproCollection.Name)]
public sealed class CrashTests : IDisposable
{
    const int SigKill = 9, SigCont = 18, SigStop = 19;
    readonly string _directory = Directory.CreateTempSubdirectory("repro-crash-").FullName;
    readonly string _checkpoints;
    readonly string _config;

    public CrashTests()
    {
        _checkpoints = Path.Combine(_directory, "checkpoints");
        _config = Path.Combine(_directory, "config.json");
        File.WriteAllText(_config, ReproJson.Serialize(PipelineConfigs.Baseline));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [CpuFact(DisplayName = "Crash: kill -9 inside an epoch, resume in a new process from the last checkpoint: the uninterrupted fingerprint; a truncated checkpoint is then refused, named")]
    public void Kill_mid_epoch_then_resume()
    {
        using (var training = StartTraining(everySteps: 2))
        {
            // The first checkpoint inside epoch 1 is complete: kill the process while it trains on.
            WaitFor(training, () => CheckpointFolder.List(_checkpoints).Count > 0);
            training.Kill();
            training.WaitForExit();
        }
        Assert.False(File.Exists(Path.Combine(_directory, "full.json")), "the training finished before the kill");
        var last = CheckpointFolder.List(_checkpoints)[^1];
        Assert.Matches("checkpoint-e0001-s0000[0-9][0-9]$", last);

        AssertResumesToUninterrupted();

        // A checkpoint cut short (a copy that did not finish) is refused with its name, exit 4.
        var tensors = Path.Combine(last, "tensors.safetensors");
        using (var stream = new FileStream(tensors, FileMode.Open)) stream.SetLength(stream.Length - 1000);
        var (exitCode, output) = CliProcess.Run("run", "--resume", _checkpoints, "--out", Path.Combine(_directory, "refused.json"));
        Assert.Equal(4, exitCode);
        Assert.Contains(last, output);
        Assert.Contains("torn write", output);
    }

    [CpuFact(DisplayName = "Crash: kill -9 while a checkpoint is being written, resume in a new process: the unfinished one is ignored and the uninterrupted fingerprint results")]
    public void Kill_during_a_checkpoint_write_then_resume()
    {
        string? unfinished = null;
        using (var training = StartTraining(everySteps: 1))
        {
            // Freeze the process (SIGSTOP) when a checkpoint's temporary folder appears; if the folder is
            // still there, the process is stopped mid-write: kill it. Otherwise let it go on to the next one.
            WaitFor(training, () => CheckpointFolder.List(_checkpoints).Count > 0);
            while (unfinished is null)
            {
                if (training.HasExited) Assert.Fail("The training ended before a checkpoint write could be caught in progress.");
                var temp = Directory.Exists(_checkpoints) ? Directory.EnumerateDirectories(_checkpoints, ".checkpoint-tmp-*").FirstOrDefault() : null;
                if (temp is null)
                {
                    Thread.Yield();
                    continue;
                }
                Signal(training, SigStop);
                if (Directory.Exists(temp))
                {
                    Signal(training, SigKill);
                    unfinished = temp;
                }
                else Signal(training, SigCont);
            }
            training.WaitForExit();
        }
        Assert.True(Directory.Exists(unfinished), "the kill left no unfinished checkpoint behind");
        Assert.NotEmpty(CheckpointFolder.List(_checkpoints));

        AssertResumesToUninterrupted();
    }

    void AssertResumesToUninterrupted()
    {
        var resumed = Path.Combine(_directory, "resumed.json");
        var (exitCode, output) = CliProcess.Run("run", "--resume", _checkpoints, "--out", resumed);
        Assert.True(exitCode == 0, $"repro run --resume exited with {exitCode}:\n{output}");
        var fingerprint = JsonNode.Parse(File.ReadAllText(resumed))!["fingerprint"]!;
        var uninterrupted = JsonNode.Parse(PipelineConfigs.Json(PipelineConfigs.BaselineFingerprint))!;
        // An intermittent mismatch was seen once in a full CI run (epoch 1's totalLoss, 1e-11 relative) and not
        // reproduced alone: on a failure, say which checkpoint the run resumed from and every field that moved.
        Assert.True(uninterrupted.ToJsonString() == fingerprint.ToJsonString(),
            $"resumed from the last of {string.Join(", ", CheckpointFolder.List(_checkpoints).Select(Path.GetFileName))}; fields that differ:\n"
            + string.Join("\n", Differences(uninterrupted, fingerprint, "").Take(20)));
    }

    static IEnumerable<string> Differences(JsonNode? expected, JsonNode? actual, string path)
    {
        if (expected is JsonObject a && actual is JsonObject b)
        {
            foreach (var key in a.Select(p => p.Key).Union(b.Select(p => p.Key)))
                foreach (var difference in Differences(a[key], b[key], path + "." + key)) yield return difference;
            yield break;
        }
        if (expected is JsonArray x && actual is JsonArray y && x.Count == y.Count)
        {
            for (var i = 0; i < x.Count; i++)
                foreach (var difference in Differences(x[i], y[i], $"{path}[{i}]")) yield return difference;
            yield break;
        }
        if (expected?.ToJsonString() != actual?.ToJsonString()) yield return $"{path}: {expected?.ToJsonString()} -> {actual?.ToJsonString()}";
    }

    Process StartTraining(long everySteps)
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { CliProcess.CliPath, "run", "--config", _config, "--device", "cpu", "--checkpoint-dir", _checkpoints,
            "--checkpoint-every-steps", everySteps.ToString(System.Globalization.CultureInfo.InvariantCulture), "--out", Path.Combine(_directory, "full.json") })
            start.ArgumentList.Add(argument);
        start.Environment["REPRO_DEVICE"] = "cpu";
        start.Environment["DOTNET_NOLOGO"] = "1";
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    static void WaitFor(Process training, Func<bool> condition)
    {
        var timeout = Stopwatch.StartNew();
        while (!condition())
        {
            if (training.HasExited) Assert.Fail($"The training exited ({training.ExitCode}) before the moment to kill it.");
            if (timeout.Elapsed > TimeSpan.FromMinutes(5)) Assert.Fail("No checkpoint appeared within 5 minutes.");
            Thread.Sleep(5);
        }
    }

    static void Signal(Process process, int signal)
    {
        if (Kill(process.Id, signal) != 0)
            Assert.Fail($"kill({process.Id}, {signal}) failed with errno {Marshal.GetLastPInvokeError()}.");
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    static extern int Kill(int pid, int signal);
}
