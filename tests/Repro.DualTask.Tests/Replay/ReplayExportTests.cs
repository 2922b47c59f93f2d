using Repro.Xunit;
using TorchSharp;
using Xunit;

namespace Repro.DualTask.Tests.Replay;

[Collection(ReproCollection.Name)]
public sealed class ReplayExportTests : IDisposable
{
    static readonly DualTaskConfig Config = DualTaskConfig.Small with
    {
        Epochs = 2,
        Determinism = DualTaskConfig.Small.Determinism with { Device = DeviceRequest.Cpu },
    };

    readonly string _directory = Directory.CreateTempSubdirectory("repro-replay-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [CpuFact(DisplayName = "Replay export: files hold the trainer's initial weights, data, batch orders and TorchSharp metrics")]
    public void Export_holds_what_the_trainer_used()
    {
        var metrics = ReplayExport.Write(Config, _directory);

        var manifest = ReproJson.Deserialize<ReplayManifest>(File.ReadAllText(Path.Combine(_directory, ReplayExport.ConfigFile)));
        Assert.Equal(ReplayExport.Format, manifest.Format);
        Assert.Equal(ReproJson.Serialize(Config), ReproJson.Serialize(manifest.Config));
        Assert.Equal(TrainingHarness.TrainingSeed(Config.Seed), manifest.TrainingSeed);
        Assert.Equal("cpu", manifest.Device);

        // A fresh training must agree with the export on everything the replay relies on.
        var fingerprint = Trainer.Train(Config);
        Assert.Equal(fingerprint.InitialModelHash, manifest.InitialModelHash);
        Assert.Equal(fingerprint.DataHash, manifest.DataHash);
        Assert.Equal(fingerprint.Epochs.Select(e => e.BatchOrderHash), manifest.BatchOrder.Select(o => o.Hash));
        Assert.Equal(fingerprint.Epochs.Select(e => e.Metrics["totalLoss"]), metrics.Epochs.Select(e => e.TotalLoss));
        Assert.Equal(ReproJson.Serialize(fingerprint.Evaluation!["test"]).Trim(), ReproJson.Serialize(metrics.Test).Trim());
        Assert.Equal(fingerprint.OptimizerSteps, metrics.OptimizerSteps);
        var written = ReproJson.Deserialize<ReplayMetrics>(File.ReadAllText(Path.Combine(_directory, ReplayExport.TorchSharpFile)));
        Assert.Equal(ReproJson.Serialize(metrics), ReproJson.Serialize(written));
        Assert.Equal(manifest.StateDictKeys, metrics.FinalWeights.Select(w => w.Name));

        // initial.safetensors: the trainer's initial state_dict, byte for byte, under its keys.
        var initial = SafeTensors.Read(Path.Combine(_directory, ReplayExport.InitialFile));
        Determinism.Reseed(Config.Seed);
        using (var model = new DualTaskModel(Config.Model))
        {
            var state = model.state_dict();
            Assert.Equal(state.Keys, initial.Tensors.Select(t => t.Name));
            Assert.Equal(manifest.StateDictKeys, initial.Tensors.Select(t => t.Name));
            foreach (var tensor in initial.Tensors)
                Assert.Equal(state[tensor.Name].detach().contiguous().bytes.ToArray(), tensor.Data);
        }

        // data.safetensors and order.safetensors: the splits and permutations the trainer used.
        var data = CmapssPreprocessing.Prepare(Config.Data.Load(Config.Seed), Config.Data.Preprocessing, Config.Seed);
        var file = SafeTensors.Read(Path.Combine(_directory, ReplayExport.DataFile));
        Assert.Equal(data.Train.Inputs, file["train.inputs"].AsFloat32());
        Assert.Equal([data.Train.Count, data.Train.WindowLength, data.Train.Channels], file["train.inputs"].Shape.Select(d => (int)d));
        Assert.Equal(data.Validation.Rul, file["validation.rul"].AsFloat32());
        Assert.Equal(data.Test.Health, file["test.health"].AsInt64());
        Assert.Equal(data.Test.Units, file["test.units"].AsInt32());
        var orders = SafeTensors.Read(Path.Combine(_directory, ReplayExport.OrderFile));
        for (var epoch = 1; epoch <= Config.Epochs; epoch++)
        {
            var expected = EpochOrder.Permutation(Config.Seed, epoch, data.Train.Count);
            Assert.Equal(expected, orders[ReplayExport.OrderTensorName(epoch)].AsInt32());
            Assert.Equal(expected, manifest.BatchOrder[epoch - 1].Permutation);
        }
    }

    [CpuFact(DisplayName = "Replay export: mixed precision is refused with the fix")]
    public void Mixed_precision_is_refused()
    {
        var ex = Assert.Throws<ReproException>(() => ReplayExport.Write(Config with { MixedPrecision = true }, _directory));
        Assert.Contains("MixedPrecision = false", ex.Message);
        Assert.Empty(Directory.EnumerateFiles(_directory));
    }

    [CpuFact(DisplayName = "Replay export: cuDNN batch norm on the CPU is refused before any file is written")]
    public void Cudnn_batch_norm_on_the_cpu_is_refused()
    {
        var ex = Assert.Throws<ReproException>(() => ReplayExport.Write(Config with { Model = Config.Model with { BatchNorm = BatchNormKernel.Cudnn } }, _directory));
        Assert.Contains("BatchNorm=cudnn needs CUDA", ex.Message);
        Assert.Empty(Directory.EnumerateFiles(_directory));
    }

    [CpuFact(DisplayName = "Replay export: the config carries the attention kernel for replay.py, and only when not the default")]
    public void The_exported_config_carries_a_non_default_kernel()
    {
        ReplayExport.Write(Config with { Epochs = 1, Model = Config.Model with { Attention = AttentionKernel.Sdpa } }, _directory);
        using var manifest = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(_directory, ReplayExport.ConfigFile)));
        var model = manifest.RootElement.GetProperty("config").GetProperty("model");
        Assert.Equal("sdpa", model.GetProperty("attention").GetString());
        Assert.False(model.TryGetProperty("batchNorm", out _));
    }
}
