using System.Text.Json;
using Repro.Tests.MsBuild;
using Repro.Xunit;
using Xunit;

namespace Repro.Tests.Learning;

// The 'learning' configuration (issue 11): the opt-in fixes on, sized so that the model generalises.
// Needs no committed baseline: it is judged against the naive baseline every run reports.
[Collection(ReproCollection.Name)]
public sealed class LearningConfigTests
{
    [CpuFact(DisplayName = "Learning config: final validation RMSE well below the naive baseline's, accuracy above the majority class's, curves that move")]
    public void Learning_config_beats_the_naive_baseline()
    {
        var config = DualTaskConfigs.Resolve("learning") with
        {
            Determinism = DualTaskConfig.Learning.Determinism with { Device = DeviceRequest.Cpu },
        };
        var fingerprint = Trainer.Train(config);

        var naive = fingerprint.Evaluation!["naive"].Deserialize<NaiveBaseline>(ReproJson.Options)!;
        var last = fingerprint.Epochs[^1].Metrics;
        Assert.True(last["validationRmse"] < 0.6 * naive.ValidationRmse, $"validation RMSE {last["validationRmse"]} vs naive {naive.ValidationRmse}");
        Assert.True(last["validationAccuracy"] > naive.ValidationAccuracy + 0.15, $"validation accuracy {last["validationAccuracy"]} vs majority class {naive.ValidationAccuracy}");
        Assert.True(fingerprint.Final["testRmse"] < 0.7 * naive.TestRmse, $"test RMSE {fingerprint.Final["testRmse"]} vs naive {naive.TestRmse}");
        foreach (var metric in new[] { "rulLoss", "healthLoss", "validationRmse" })
        {
            var curve = LearningCurve.Of(fingerprint).Single(c => c.Metric == metric);
            Assert.False(curve.Flat, $"{metric} is flat: {curve.Describe()}");
            Assert.True(curve.Last < curve.First, $"{metric} should fall: {curve.Describe()}");
        }
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

    [Theory(DisplayName = "The options are off in small and chapter: their settings are exactly those of the committed baselines")]
    [InlineData("small", "cpu-intel-avx2/libtorch-2.10.0-threads-2/dualtask-small.verified.json", "auto")]
    [InlineData("chapter", "nvidia-h100-80gb-hbm3/cuda-13.0/dualtask-chapter.verified.json", "cuda")]
    public void Defaults_keep_the_committed_settings(string name, string baseline, string device)
    {
        var config = DualTaskConfigs.Resolve(name);
        config = config with { Determinism = config.Determinism with { Device = Enum.Parse<DeviceRequest>(device, ignoreCase: true) } };
        var committed = BaselineStore.Read(Path.Combine(RepoPaths.Root, "snapshots", baseline));
        Assert.Equal(JsonSerializer.Serialize(committed.Config), JsonSerializer.Serialize(DualTaskRuns.Settings(config)));
        Assert.Equal(committed.Fingerprint.ConfigHash, DualTaskRuns.ConfigHash(config));
    }

    [Fact(DisplayName = "learning-chapter is the chapter's config with the learning options and a larger fleet, nothing else")]
    public void Learning_chapter_changes_only_the_options_and_the_fleet()
    {
        var chapter = (System.Text.Json.Nodes.JsonObject)JsonSerializer.SerializeToNode(DualTaskRuns.Settings(DualTaskConfig.Chapter))!;
        var learning = (System.Text.Json.Nodes.JsonObject)JsonSerializer.SerializeToNode(DualTaskRuns.Settings(DualTaskConfigs.Resolve("learning-chapter")))!;
        var changed = new SortedSet<string>(StringComparer.Ordinal);
        Compare(chapter, learning, "", changed);
        Assert.Equal(
            ["data.preprocessing.stride", "data.synthetic.trainUnits", "emaBuffers", "emaWarmup", "model.rulHead", "model.rulOutputScale", "name"],
            changed);
        Assert.Equal(800, (int)learning["data"]!["synthetic"]!["trainUnits"]!);
    }

    [GpuFact(DisplayName = "learning-chapter on CUDA: its best epoch and the test evaluation of the weights early stopping restores beat the naive baseline by far")]
    public void Learning_chapter_learns_on_cuda()
    {
        var config = DualTaskConfig.LearningChapter with { Determinism = DualTaskConfig.LearningChapter.Determinism with { Device = DeviceRequest.Cuda } };
        var fingerprint = Trainer.Train(config);
        var naive = fingerprint.Evaluation!["naive"].Deserialize<NaiveBaseline>(ReproJson.Options)!;
        var best = fingerprint.Epochs[(fingerprint.BestEpoch ?? fingerprint.Epochs.Count) - 1].Metrics;
        Assert.True(best["validationRmse"] < 0.4 * naive.ValidationRmse, $"best validation RMSE {best["validationRmse"]} vs naive {naive.ValidationRmse}");
        Assert.True(best["validationAccuracy"] > naive.ValidationAccuracy + 0.25, $"best validation accuracy {best["validationAccuracy"]} vs majority class {naive.ValidationAccuracy}");
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
