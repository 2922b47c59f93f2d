using System.Text.Json.Nodes;
using Repro.Xunit;
using Xunit;
using static TorchSharp.torch;

namespace Repro.Tests.Checkpoints;

// What a checkpoint holds, and every way a checkpoint that must not be resumed is refused, naming it.
[Collection(ReproCollection.Name)]
public sealed class CheckpointFormatTests : IDisposable
{
    readonly string _directory = Directory.CreateTempSubdirectory("repro-checkpoint-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    string MidEpochCheckpoint() => ResumeHelpers.StopAt(new TinyCnnCheck(), _directory, CheckpointPosition.AfterStep(2, 2));

    [CpuFact(DisplayName = "Checkpoint: a manifest with schema, config hash and position, and a standard safetensors file with model, gradients, optimizer, generator and check state")]
    public void Holds_everything_the_run_depends_on()
    {
        var checkpoint = MidEpochCheckpoint();
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(checkpoint, "manifest.json")))!;
        Assert.Equal("repro-checkpoint", (string?)manifest["format"]);
        Assert.Equal(3, (int?)manifest["schemaVersion"]);
        Assert.StartsWith("sha256:", (string?)manifest["digest"]);
        Assert.StartsWith("sha256:", (string?)manifest["tensors"]!["sha256"]);
        using (var check = new TinyCnnCheck())
            Assert.Equal(TrainingHarness.DescribeSettings(check).Hash, (string?)manifest["configHash"]);
        Assert.Equal(2, (int?)manifest["position"]!["epoch"]);
        Assert.Equal(2, (int?)manifest["position"]!["stepInEpoch"]);
        Assert.Equal(5 + 2, (long?)manifest["position"]!["steps"]);
        Assert.Single(manifest["epochs"]!.AsArray());
        Assert.NotNull((string?)manifest["epochSamplesHash"]);
        // The epoch's running loss sum, which the harness keeps (context.Sums).
        Assert.Equal("loss", (string?)manifest["epochSums"]![0]!["names"]![0]);
        Assert.Equal("epoch-sums.0", (string?)manifest["epochSums"]![0]!["tensor"]);
        Assert.Equal("TorchSharp.Adam", (string?)manifest["optimizer"]!["kind"]);
        // The check's JSON state: after one epoch, its best loss is that epoch's.
        Assert.Equal((double)manifest["epochs"]![0]!["metrics"]!["loss"]!, (double)manifest["checkValues"]!["best-loss"]!);

        // Any safetensors reader can open the tensors file.
        var file = SafeTensors.Read(Path.Combine(checkpoint, "tensors.safetensors"));
        var names = file.Tensors.Select(t => t.Name).ToList();
        Assert.Contains("model.conv.weight", names);
        Assert.Contains("model.norm.running_mean", names);
        Assert.Contains("model.norm.num_batches_tracked", names);
        Assert.Contains("grad.fc.weight", names);
        Assert.Contains("optimizer.torchsharp-state", names);
        Assert.Contains("generator.cpu", names);
        Assert.Contains("check.smoothed-loss", names);
        Assert.Equal("F64", file["epoch-sums.0"].DType);
        Assert.Equal("I64", file["model.norm.num_batches_tracked"].DType);
        // The manifest's size of that file is its real size.
        Assert.Equal(new FileInfo(Path.Combine(checkpoint, "tensors.safetensors")).Length, (long?)manifest["tensors"]!["bytes"]);
    }

    [CpuFact(DisplayName = "Checkpoint: a truncated tensors file (torn write, cut copy) is refused with a message naming the checkpoint")]
    public void Truncated_checkpoint_is_refused()
    {
        var checkpoint = MidEpochCheckpoint();
        var tensors = Path.Combine(checkpoint, "tensors.safetensors");
        using (var stream = new FileStream(tensors, FileMode.Open)) stream.SetLength(stream.Length / 2);
        var error = Assert.Throws<ReproException>(() => ResumeHelpers.Resume(new TinyCnnCheck(), _directory));
        Assert.Contains(checkpoint, error.Message);
        Assert.Contains("torn write", error.Message);
    }

    [CpuFact(DisplayName = "Checkpoint: a tensors file changed after it was written is refused (hash)")]
    public void Changed_bytes_are_refused()
    {
        var checkpoint = MidEpochCheckpoint();
        var tensors = Path.Combine(checkpoint, "tensors.safetensors");
        var bytes = File.ReadAllBytes(tensors);
        bytes[^3] ^= 0x01;
        File.WriteAllBytes(tensors, bytes);
        var error = Assert.Throws<ReproException>(() => ResumeHelpers.Resume(new TinyCnnCheck(), checkpoint));
        Assert.Contains(checkpoint, error.Message);
        Assert.Contains("do not match the manifest's hash", error.Message);
    }

    [CpuFact(DisplayName = "Checkpoint: another schema version is refused, naming the version")]
    public void Other_schema_is_refused()
    {
        var checkpoint = MidEpochCheckpoint();
        var path = Path.Combine(checkpoint, "manifest.json");
        File.WriteAllText(path, File.ReadAllText(path).Replace($"\"schemaVersion\": {CheckpointManifest.CurrentSchemaVersion},", "\"schemaVersion\": 99,", StringComparison.Ordinal));
        var error = Assert.Throws<ReproException>(() => ResumeHelpers.Resume(new TinyCnnCheck(), checkpoint));
        Assert.Contains(checkpoint, error.Message);
        Assert.Contains("schema version 99", error.Message);
        Assert.Contains("this Repro reads schemas 1 to 3", error.Message);
    }

    [CpuFact(DisplayName = "Checkpoint: a checkpoint of another config is refused, naming the setting that changed")]
    public void Other_config_is_refused()
    {
        var checkpoint = MidEpochCheckpoint();
        var error = Assert.Throws<ReproException>(() => ResumeHelpers.Resume(new SmallerBatches(), checkpoint));
        Assert.Contains(checkpoint, error.Message);
        Assert.Contains("batchSize 32 -> 16", error.Message);
    }

    [CpuFact(DisplayName = "Checkpoint: an unfinished checkpoint (a process killed while writing) is ignored; the latest complete one is resumed")]
    public void Unfinished_checkpoint_is_ignored()
    {
        var checkpoint = ResumeHelpers.StopAt(new TinyCnnCheck(), _directory, CheckpointPosition.AfterStep(2, 2), everySteps: 2);
        // What a kill during the next write leaves: a temporary folder with part of a tensors file and no manifest.
        var unfinished = Path.Combine(_directory, ".checkpoint-tmp-0123456789abcdef");
        Directory.CreateDirectory(unfinished);
        File.WriteAllBytes(Path.Combine(unfinished, "tensors.safetensors"), new byte[100]);
        Assert.Equal(checkpoint, CheckpointFolder.Resolve(_directory));
        Assert.Equal(ResumeHelpers.Json(TrainingRuns.Get(() => new TinyCnnCheck()).Fingerprint), ResumeHelpers.Json(ResumeHelpers.Resume(new TinyCnnCheck(), _directory)));

        // A folder holding only unfinished checkpoints names them.
        var empty = Directory.CreateDirectory(Path.Combine(_directory, "only-unfinished")).FullName;
        Directory.Move(unfinished, Path.Combine(empty, Path.GetFileName(unfinished)));
        var error = Assert.Throws<ReproException>(() => CheckpointFolder.Resolve(empty));
        Assert.Contains("no complete checkpoint", error.Message);
        Assert.Contains(".checkpoint-tmp-0123456789abcdef", error.Message);
    }

    [CpuFact(DisplayName = "Checkpoint: only the newest Keep checkpoints stay, and a new writer removes unfinished ones")]
    public void Keeps_the_newest()
    {
        var unfinished = Directory.CreateDirectory(Path.Combine(_directory, ".checkpoint-tmp-left-by-a-killed-run")).FullName;
        TrainingHarness.Train(new TinyCnnCheck(), new CheckpointOptions { Directory = _directory, EverySteps = 1, Keep = 2 });
        Assert.False(Directory.Exists(unfinished));
        // 15 steps: the last step's checkpoint falls on the end of epoch 3, the one before inside it.
        Assert.Equal(["checkpoint-e0003-s000004", "checkpoint-e0003-end"], CheckpointFolder.List(_directory).Select(Path.GetFileName));
    }

    [CpuFact(DisplayName = "Checkpoint: an optimizer whose state TorchSharp does not expose is refused before the first epoch")]
    public void Unsupported_optimizer_is_refused()
    {
        var error = Assert.Throws<ReproException>(() => TrainingHarness.Train(new WithLbfgs(), new CheckpointOptions { Directory = _directory, EveryEpochs = 1 }));
        Assert.Contains("LBFGS", error.Message);
        Assert.Empty(CheckpointFolder.List(_directory));
    }

    sealed class SmallerBatches : TinyCnnCheck
    {
        public override string Name => nameof(TinyCnnCheck);

        public override int BatchSize => 16;
    }

    sealed class WithLbfgs : TinyCnnCheck
    {
        protected internal override optim.Optimizer CreateOptimizer(nn.Module model, TrainingContext context)
        {
            base.CreateOptimizer(model, context).Dispose();
            return optim.LBFGS(model.parameters());
        }
    }
}
