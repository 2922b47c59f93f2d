using System.Diagnostics;
using System.Text.Json.Nodes;
using Repro.Xunit;
using Xunit;

namespace Repro.Tests.Checkpoints;

// kill -9 of 'repro run' writing a checkpoint after every step, at random moments and (every other
// run) just after a random checkpoint write starts: every checkpoint the reader lists is complete and
// valid, and 'repro run --resume' in a new process removes the unfinished ones and ends with the
// uninterrupted fingerprint. REPRO_KILL_RUNS=50 runs 50 kills (docs/bad-input.md); CI runs two, one of each kind.
[Collection(ReproCollection.Name)]
public sealed class KillConsistencyCheckpointTests
{
    const string TempPrefix = ".checkpoint-tmp-";
    static readonly int Runs = int.TryParse(Environment.GetEnvironmentVariable("REPRO_KILL_RUNS"), out var runs) ? runs : 0;

    // Four steps an epoch, two epochs: ten checkpoint writes in a few seconds.
    static readonly DualTaskConfig Config = TinyInputs.Config with
    {
        Name = "kill-checkpoints",
        Epochs = 2,
        BatchSize = 16,
        Determinism = TinyInputs.Config.Determinism with { Device = DeviceRequest.Cpu },
    };

    [Fact]
    public void Checkpoint_writes_killed_at_random_moments_leave_only_complete_checkpoints_that_resume_exactly()
    {
        using var workspace = new CliWorkspace();
        var config = TinyInputs.Write(workspace.Root, "kill.json", ReproJson.Serialize(Config));
        var uninterrupted = JsonNode.Parse(ReproJson.Serialize(TrainingRuns.Get(() => new DualTaskCheck(Config)).Fingerprint))!.ToJsonString();
        string[] Train(string directory) =>
            [CliProcess.CliPath, "run", "--config", config, "--device", "cpu", "--checkpoint-dir", directory, "--checkpoint-every-steps", "1"];

        // The uninterrupted run in a child process: how long it takes, and when its first checkpoint write starts.
        var reference = Path.Combine(workspace.Root, "reference");
        var clock = Stopwatch.StartNew();
        TimeSpan? firstWrite = null;
        using (var process = KillConsistencyTests.Start(Train(reference)))
        {
            while (!process.WaitForExit(5))
                if (firstWrite is null && Directory.Exists(reference) && Directory.EnumerateFileSystemEntries(reference).Any()) firstWrite = clock.Elapsed;
            Assert.Equal(0, process.ExitCode);
        }
        var duration = clock.Elapsed;
        var writing = firstWrite ?? duration * 0.5;

        var random = new Random(18);
        var (hitWrites, resumed) = (0, 0);
        for (var run = 0; run < (Runs > 0 ? Runs : 2); run++)
        {
            var directory = Path.Combine(workspace.Root, $"run-{run:00}");
            string when;
            if (run % 2 == 0)
            {
                // At a random moment from just before the first write to the end of the run.
                var delay = writing * 0.8 + (duration - writing * 0.8) * random.NextDouble();
                KillConsistencyTests.KillAfter(KillConsistencyTests.Start(Train(directory)), delay);
                when = $"run {run} (killed after {delay.TotalSeconds:F2} s of {duration.TotalSeconds:F2} s)";
            }
            else
            {
                // Writes are a small share of the run: aim at the start of a random write, plus up to 30 ms
                // (the tensors, the manifest, the rename, or the removal of an older checkpoint after it).
                var (write, extra) = (random.Next(1, 10), random.Next(0, 30));
                KillDuringWrite(KillConsistencyTests.Start(Train(directory)), directory, write, TimeSpan.FromMilliseconds(extra));
                when = $"run {run} (killed {extra} ms after write {write} started)";
            }
            if (Unfinished(directory).Count > 0) hitWrites++;

            AssertEveryListedCheckpointIsComplete(directory, when);
            if (CheckpointFolder.List(directory).Count == 0)
            {
                // Killed before the first checkpoint was complete: resume refuses, naming the folder, and trains nothing.
                var (code, output) = CliProcess.Run("run", "--resume", directory);
                Assert.True(code == 4 && output.Contains(Path.GetFullPath(directory), StringComparison.Ordinal), $"{when}: resume without a complete checkpoint must be exit 4 naming the folder:\n{output}");
                continue;
            }

            // The resumed run keeps writing into the folder, so it is also 'the next run' that must clear unfinished checkpoints.
            var outFile = Path.Combine(workspace.Root, $"resumed-{run:00}.json");
            var (exitCode, log) = CliProcess.Run("run", "--resume", directory, "--checkpoint-every-steps", "1", "--out", outFile);
            Assert.True(exitCode == 0, $"{when}: repro run --resume exited with {exitCode}:\n{log}");
            Assert.Equal(uninterrupted, JsonNode.Parse(File.ReadAllText(outFile))!["fingerprint"]!.ToJsonString());
            Assert.True(Unfinished(directory).Count == 0, $"{when}: the resumed run left unfinished checkpoints: {string.Join(", ", Unfinished(directory))}");
            AssertEveryListedCheckpointIsComplete(directory, when + ", after the resumed run");
            resumed++;
        }
        TestContext.Current.TestOutputHelper?.WriteLine($"checkpoint kills: {(Runs > 0 ? Runs : 2)} runs, {hitWrites} left an unfinished checkpoint (killed mid-write), " +
            $"{resumed} resumed to the uninterrupted fingerprint; uninterrupted run {duration.TotalSeconds:F1} s, first write at {writing.TotalSeconds:F1} s");
    }

    static void KillDuringWrite(Process process, string directory, int write, TimeSpan extra)
    {
        using (process)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            while (!process.HasExited && seen.Count < write)
            {
                foreach (var temp in Unfinished(directory)) seen.Add(temp);
                Thread.Sleep(1);
            }
            if (!process.HasExited)
            {
                Thread.Sleep(extra);
                process.Kill(entireProcessTree: true); // SIGKILL on Unix
            }
            process.WaitForExit();
        }
    }

    static List<string> Unfinished(string directory) =>
        Directory.Exists(directory) ? [.. Directory.EnumerateDirectories(directory, TempPrefix + "*").Select(d => Path.GetFileName(d)!)] : [];

    // Complete: the manifest parses, the tensors file has the manifest's length and hash, and the folder's name is the manifest's position.
    static void AssertEveryListedCheckpointIsComplete(string directory, string when)
    {
        foreach (var folder in CheckpointFolder.List(directory))
        {
            LoadedCheckpoint checkpoint;
            try { checkpoint = CheckpointReader.Read(folder); }
            catch (ReproException ex) { throw new global::Xunit.Sdk.XunitException($"{when}: a listed checkpoint is not complete: {ex.Message}"); }
            var position = checkpoint.Manifest.Position;
            var name = CheckpointFolder.NameOf(position.EndOfEpoch ? CheckpointPosition.AfterEpoch(position.Epoch) : CheckpointPosition.AfterStep(position.Epoch, position.StepInEpoch));
            Assert.True(name == Path.GetFileName(folder), $"{when}: {folder} holds the checkpoint of {name}");
            Assert.NotEmpty(checkpoint.Tensors);
        }
    }
}
