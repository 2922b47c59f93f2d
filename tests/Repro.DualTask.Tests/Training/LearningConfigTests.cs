using System.Text.Json;
using Repro.Xunit;
using Xunit;

namespace Repro.DualTask.Tests.Training;

// The reference checks learn by default (issue 22): small on the CPU here, chapter on a GPU, each
// judged against the naive baseline every run reports (mean-RUL RMSE, majority-class accuracy).
[Collection(ReproCollection.Name)]
public sealed class LearningConfigTests
{
    [CpuFact(DisplayName = "small learns: validation RMSE improves past the first epoch and ends below 0.6x the naive baseline's, every curve moves")]
    public void Small_beats_the_naive_baseline()
    {
        var config = DualTaskConfig.Small with { Determinism = DualTaskConfig.Small.Determinism with { Device = DeviceRequest.Cpu } };
        var fingerprint = Trainer.Train(config);

        var naive = fingerprint.Evaluation!["naive"].Deserialize<NaiveBaseline>(ReproJson.Options)!;
        var rmse = fingerprint.Epochs.Select(e => e.Metrics["validationRmse"]).ToList();
        Assert.True(rmse.IndexOf(rmse.Min()) > 0, $"the best validation RMSE should not be the first epoch's: {string.Join(", ", rmse)}");
        Assert.True(rmse[^1] <= 0.6 * naive.ValidationRmse, $"validation RMSE {rmse[^1]} vs naive {naive.ValidationRmse}");
        Assert.True(fingerprint.Epochs[^1].Metrics["validationAccuracy"] > naive.ValidationAccuracy + 0.15, $"validation accuracy {fingerprint.Epochs[^1].Metrics["validationAccuracy"]} vs majority class {naive.ValidationAccuracy}");
        Assert.True(fingerprint.Final["testRmse"] < 0.7 * naive.TestRmse, $"test RMSE {fingerprint.Final["testRmse"]} vs naive {naive.TestRmse}");
        foreach (var curve in LearningCurve.Of(fingerprint))
            Assert.False(curve.Flat, $"{curve.Metric} is flat: {curve.Describe()}");
        for (var epoch = 1; epoch < fingerprint.Epochs.Count; epoch++)
            foreach (var (metric, value) in fingerprint.Epochs[epoch].Metrics)
                Assert.True(value != fingerprint.Epochs[epoch - 1].Metrics[metric], $"{metric} did not move in epoch {epoch + 1}");
    }

    [Fact(DisplayName = "Naive baseline: the training windows' mean RUL and majority class, scored on validation and test (hand-computed)")]
    public void Naive_baseline_by_hand()
    {
        static WindowSet Set(float[] rul, long[] health) => new(1, 1, new float[rul.Length], rul, health, [.. rul.Select((_, i) => i + 1)]);
        var data = new PreparedData(
            Set([10, 20, 30, 60], [0, 1, 1, 2]),
            Set([30, 40], [1, 0]),
            Set([0], [2]));
        var naive = NaiveBaseline.Of(data);
        Assert.Equal(30, naive.TrainMeanRul);
        Assert.Equal(1, naive.MajorityClass);
        Assert.Equal(Math.Sqrt(50), naive.ValidationRmse, 12);
        Assert.Equal(0.5, naive.ValidationAccuracy);
        Assert.Equal(30, naive.TestRmse, 12);
        Assert.Equal(0, naive.TestAccuracy);
    }

    [Fact(DisplayName = "chapter is the chapter's model with the learning options, dropout 0.1, a larger fleet and more epochs, nothing else")]
    public void Chapter_changes_only_the_options_the_fleet_and_the_epochs()
    {
        // The chapter's own configuration, as the committed chapter baselines before issue 22 were trained.
        var original = new DualTaskConfig { Name = "dualtask-chapter", Epochs = 5, Model = new DualTaskModelConfig(), Data = new DataSource(), EarlyStoppingPatience = 3 };
        var before = (System.Text.Json.Nodes.JsonObject)JsonSerializer.SerializeToNode(DualTaskRuns.Settings(original))!;
        var chapter = (System.Text.Json.Nodes.JsonObject)JsonSerializer.SerializeToNode(DualTaskRuns.Settings(DualTaskConfigs.Resolve("chapter")))!;
        var changed = new SortedSet<string>(StringComparer.Ordinal);
        Compare(before, chapter, "", changed);
        Assert.Equal(
            ["data.preprocessing.stride", "data.synthetic.trainUnits", "emaBuffers", "emaWarmup", "epochs", "model.dropout", "model.rulHead", "model.rulOutputScale"],
            changed);
        Assert.Equal(800, (int)chapter["data"]!["synthetic"]!["trainUnits"]!);
    }

    [Theory(DisplayName = "The retired learning configurations point to the defaults that replaced them")]
    [InlineData("learning", "small")]
    [InlineData("learning-chapter", "chapter")]
    [InlineData("learning-fd004", "small-fd004")]
    public void Retired_names_point_to_their_successors(string retired, string successor)
    {
        var error = Assert.Throws<ReproException>(() => DualTaskConfigs.Resolve(retired));
        Assert.Contains($"--config {successor}", error.Message);
        Assert.NotNull(DualTaskConfigs.Resolve(successor));
    }

    [GpuFact(DisplayName = "chapter on CUDA learns: its best epoch is not the first, validation RMSE <= 15 and accuracy >= 0.85 there, test RMSE far below the naive baseline's")]
    public void Chapter_learns_on_cuda()
    {
        var config = DualTaskConfig.Chapter with { Determinism = DualTaskConfig.Chapter.Determinism with { Device = DeviceRequest.Cuda } };
        var fingerprint = Trainer.Train(config);
        var naive = fingerprint.Evaluation!["naive"].Deserialize<NaiveBaseline>(ReproJson.Options)!;
        var bestEpoch = fingerprint.BestEpoch ?? fingerprint.Epochs.Count;
        var best = fingerprint.Epochs[bestEpoch - 1].Metrics;
        Assert.True(bestEpoch > 1, $"best epoch {bestEpoch}: the model should improve past its first epoch");
        Assert.True(best["validationRmse"] <= 15, $"best validation RMSE {best["validationRmse"]} vs naive {naive.ValidationRmse}");
        Assert.True(best["validationAccuracy"] >= 0.85, $"best validation accuracy {best["validationAccuracy"]} vs majority class {naive.ValidationAccuracy}");
        Assert.True(fingerprint.Final["testRmse"] < 0.45 * naive.TestRmse, $"test RMSE {fingerprint.Final["testRmse"]} vs naive {naive.TestRmse}");
    }

    static void Compare(System.Text.Json.Nodes.JsonNode? a, System.Text.Json.Nodes.JsonNode? b, string path, ISet<string> changed)
    {
        if (a is System.Text.Json.Nodes.JsonObject x && b is System.Text.Json.Nodes.JsonObject y)
        {
            foreach (var key in x.Select(p => p.Key).Union(y.Select(p => p.Key)))
                Compare(x[key], y[key], path.Length == 0 ? key : path + "." + key, changed);
            return;
        }
        if (a?.ToJsonString() != b?.ToJsonString()) changed.Add(path);
    }

    [Fact(DisplayName = "Bad option combinations are refused naming the field: EMA rules without EMA, an output scale on the ReLU head")]
    public void Bad_combinations_are_refused()
    {
        var emaOff = Assert.Throws<ReproException>(() => new DualTaskCheck(DualTaskConfig.Small with { EmaDecay = null, EmaWarmup = true }));
        Assert.Contains("EmaDecay is null", emaOff.Message);
        var scaled = Assert.Throws<ReproException>(() => new DualTaskCheck(DualTaskConfig.Small with { Model = DualTaskModelConfig.Small with { RulOutputScale = 125 } }));
        Assert.Contains("RulOutputScale=125 needs RulHead \"linear\"", scaled.Message);
    }
}
