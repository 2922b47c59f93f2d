using System.Globalization;
using Repro.Xunit;
using Xunit;

namespace Repro.DualTask.Tests.EndToEnd;

// A fingerprint that does not move when an input moves proves nothing by being equal; these check
// that each input reaches the fingerprint, and through the part that names it.
[Collection(ReproCollection.Name)]
public sealed class SensitivityTests : IDisposable
{
    readonly string _directory = Directory.CreateTempSubdirectory("repro-sensitivity-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    static TrainingFingerprint Baseline => PipelineConfigs.BaselineFingerprint;

    [CpuFact(DisplayName = "Pipeline: another seed changes the initial weights, the data and the losses")]
    public void Seed_changes_the_fingerprint()
    {
        var changed = Trainer.Train(PipelineConfigs.Baseline with { Seed = PipelineConfigs.Baseline.Seed + 1 });
        Assert.NotEqual(Baseline.ConfigHash, changed.ConfigHash);
        Assert.NotEqual(Baseline.InitialModelHash, changed.InitialModelHash);
        Assert.NotEqual(Baseline.DataHash, changed.DataHash);
        Assert.NotEqual(Baseline.Epochs[0].BatchOrderHash, changed.Epochs[0].BatchOrderHash);
        Assert.NotEqual(Baseline.Epochs[0].Metrics["totalLoss"], changed.Epochs[0].Metrics["totalLoss"]);
        Assert.NotEqual(Baseline.ModelHash, changed.ModelHash);
    }

    [CpuFact(DisplayName = "Pipeline: another learning rate changes the config hash and the losses, not the start")]
    public void Learning_rate_changes_the_fingerprint()
    {
        var changed = Trainer.Train(PipelineConfigs.Baseline with { LearningRate = PipelineConfigs.Baseline.LearningRate * 2 });
        Assert.NotEqual(Baseline.ConfigHash, changed.ConfigHash);
        Assert.All(Baseline.Epochs.Zip(changed.Epochs), pair => Assert.NotEqual(pair.First.Metrics["totalLoss"], pair.Second.Metrics["totalLoss"]));
        Assert.NotEqual(Baseline.ModelHash, changed.ModelHash);
        // Same start and same data: the difference is the learning rate's alone.
        Assert.Equal(Baseline.InitialModelHash, changed.InitialModelHash);
        Assert.Equal(Baseline.DataHash, changed.DataHash);
        Assert.Equal(Baseline.Epochs.Select(e => e.BatchOrderHash), changed.Epochs.Select(e => e.BatchOrderHash));
    }

    [CpuFact(DisplayName = "Pipeline: one changed sensor value in one row of the train file changes the data hash and the results")]
    public void One_data_sample_changes_the_fingerprint()
    {
        var data = PipelineConfigs.Baseline.Data.Load(PipelineConfigs.Baseline.Seed);
        CmapssFiles.Write(_directory, "FD001", data);
        var config = PipelineConfigs.Baseline with { Data = PipelineConfigs.Baseline.Data with { CmapssDirectory = _directory } };
        var original = Trainer.Train(config);
        // The files hold the generator's data exactly, so this is the baseline's data read from disk.
        Assert.Equal(Baseline.DataHash, original.DataHash);

        ChangeSensor(Path.Combine(_directory, "train_FD001.txt"), row: 40, sensor: 2);
        var changed = Trainer.Train(config);

        Assert.NotEqual(original.DataHash, changed.DataHash);
        Assert.NotEqual(PipelineConfigs.Json(original), PipelineConfigs.Json(changed));
        // Nothing but the data moved: same config (the path did not change), same initial weights.
        Assert.Equal(original.ConfigHash, changed.ConfigHash);
        Assert.Equal(original.InitialModelHash, changed.InitialModelHash);
    }

    // Adds 1 to sensor sN (1-based, column 5 + N - 1 after unit, cycle and three settings) in one row.
    static void ChangeSensor(string path, int row, int sensor)
    {
        var lines = File.ReadAllLines(path);
        var fields = lines[row].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var column = 5 + sensor - 1;
        var value = float.Parse(fields[column], CultureInfo.InvariantCulture);
        fields[column] = (value + 1f).ToString(CultureInfo.InvariantCulture);
        lines[row] = string.Join(' ', fields);
        File.WriteAllLines(path, lines);
    }
}
