using System.Text.Json.Nodes;
using Repro.Xunit;
using Xunit;

namespace Repro.Tests.Integrity;

// Issue 26 rows 3, 8 and 12: an edited checkpoint manifest is refused before a resume, one writer holds
// a checkpoint folder at a time, and a --stop-after step past the epoch's end is an error.
[Collection(ReproCollection.Name)]
public sealed class CheckpointRowTests
{
    [Theory]
    [InlineData("epochs.0.metrics.totalLoss", 1.2500001)]
    [InlineData("optimizer.reproAdamWSteps", 4)]
    [InlineData("position.stopped", true)]
    public void Row_3_an_edited_metric_step_count_or_stop_flag_in_a_checkpoint_manifest_is_refused_before_resuming(string field, object value)
    {
        var root = Directory.CreateTempSubdirectory("repro-row3-").FullName;
        try
        {
            var folder = IntegrityFiles.Checkpoint(root);
            Assert.NotNull(CheckpointReader.Read(folder));
            var manifest = Path.Combine(folder, CheckpointFolder.ManifestFile);
            var node = IntegrityFiles.Node(manifest);
            var parts = field.Split('.');
            JsonNode parent = node;
            foreach (var part in parts[..^1]) parent = int.TryParse(part, out var i) ? parent[i]! : parent[part]!;
            parent[parts[^1]] = JsonValue.Create(value);
            IntegrityFiles.Save(manifest, node);

            var error = Assert.Throws<ReproException>(() => CheckpointReader.Read(folder));

            Assert.Contains("does not match its digest", error.Message);
            Assert.Contains("It will not be resumed", error.Message);
        }
        finally { Directory.Delete(root, recursive: true); }
    }

    [Fact]
    public void Row_8_a_second_writer_of_a_checkpoint_folder_is_refused_naming_the_folder_and_the_holder()
    {
        var folder = Directory.CreateTempSubdirectory("repro-row8-").FullName;
        try
        {
            using (FolderLock.Acquire(folder, "a training with checkpoints"))
            {
                var error = Assert.Throws<ReproException>(() => FolderLock.Acquire(folder, "a training with checkpoints"));
                Assert.Contains(folder, error.Message);
                Assert.Contains($"pid {Environment.ProcessId}", error.Message);
            }
            // Released with its holder: the next writer gets it.
            using (FolderLock.Acquire(folder, "a training with checkpoints")) { }
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    [Fact]
    public void Row_12_stop_after_a_step_beyond_the_epochs_steps_is_refused_with_the_number_of_steps()
    {
        using var env = EnvironmentScope.Workstation();
        using var workspace = new CliWorkspace();
        var checkpoints = Path.Combine(workspace.Root, "checkpoints");

        var result = CliRun.Invoke("run", "--config", workspace.Config(), "--device", "cpu", "--checkpoint-dir", checkpoints, "--stop-after", "1:999");

        Assert.True(result.ExitCode == 4, result.ToString());
        Assert.Contains("--stop-after 1:999: epoch 1 has only", result.Error);
        Assert.Empty(CheckpointFolder.List(checkpoints));
    }
}
