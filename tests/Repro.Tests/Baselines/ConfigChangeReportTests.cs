using System.Text.Json;
using Repro.Reports;
using Repro.Xunit;
using Xunit;
using Repro.Tests.Checkpoints;

namespace Repro.Tests.Baselines;

// A run trained with other settings than its baseline's is reported setting by setting, old and new
// value, and never as a kernel, library or code change.
[Collection(ReproCollection.Name)]
public sealed class ConfigChangeReportTests
{
    static BaselineFile File(string config, TrainingFingerprint fingerprint) =>
        BaselineFiles.File(fingerprint) with { Config = JsonDocument.Parse(config).RootElement.Clone() };

    [Fact(DisplayName = "Config change: each changed, nested, removed and added setting is named with both values in the cause, the report and the Markdown summary")]
    public void Every_changed_setting_is_named()
    {
        var baseline = File("""{"learningRate":0.003,"model":{"dropout":0.1,"units":16},"epochs":3,"device":"cpu"}""", BaselineFiles.Fingerprint());
        var received = File("""{"learningRate":0.004,"model":{"dropout":0.2,"units":16},"device":"cuda|0","batchSize":32}""",
            BaselineFiles.Fingerprint(loss: 1.5) with { ConfigHash = "other" });

        var result = FingerprintComparer.Compare(baseline, received);

        Assert.False(result.Passed);
        Assert.Equal(
            [new SettingChange("learningRate", "0.003", "0.004"), new SettingChange("model.dropout", "0.1", "0.2"),
             new SettingChange("epochs", "3", null), new SettingChange("device", "\"cpu\"", "\"cuda|0\""), new SettingChange("batchSize", null, "32")],
            result.ConfigChanges);
        const string cause = "configuration changed: learningRate 0.003 -> 0.004; model.dropout 0.1 -> 0.2; epochs 3 -> (absent); device \"cpu\" -> \"cuda|0\"; batchSize (absent) -> 32";
        Assert.Equal(cause, result.Cause);
        var report = DivergenceReport.Render(result, "b.json").Split('\n');
        Assert.Equal("Cause: " + cause, report[1]);
        Assert.DoesNotContain(report, line => line.Contains("kernel", StringComparison.Ordinal));

        var markdown = MarkdownSummary.Render(new ReportInput(received, baseline, [], result)).Split('\n');
        Assert.Contains("Cause: " + cause, markdown);
        Assert.Contains("| `learningRate` | `0.003` | `0.004` |", markdown);
        Assert.Contains("| `epochs` | `3` | (absent) |", markdown);
        Assert.Contains("| `device` | `\"cpu\"` | `\"cuda\\|0\"` |", markdown);
        Assert.Contains("| `batchSize` | (absent) | `32` |", markdown);
    }

    [Fact(DisplayName = "Config change: compared by fingerprint alone (no config to walk), the cause still blames the configuration, not the numerics")]
    public void Fingerprint_alone_names_the_config_hash()
    {
        var result = FingerprintComparer.Compare(BaselineFiles.File(BaselineFiles.Fingerprint()), BaselineFiles.Fingerprint(loss: 1.5) with { ConfigHash = "other" });
        Assert.Empty(result.ConfigChanges);
        Assert.Equal("configuration changed (its config hash differs from the baseline's)", result.Cause);
    }

    [CpuFact(DisplayName = "Config change: a real training with another learning rate names it in the cause and in the first moved state, which no longer blames a kernel, library or code change")]
    public void Trained_runs_name_the_learning_rate()
    {
        var baseline = Received(TrainingHarness.Train(new Configured(0.01)));
        var received = Received(TrainingHarness.Train(new Configured(0.02)));

        var report = DivergenceReport.Render(FingerprintComparer.Compare(baseline, received), "b.json").Split('\n');

        Assert.Equal("Cause: configuration changed: learningRate 0.01 -> 0.02", report[1]);
        Assert.Equal("First moved state: data and initial weights identical, generator state and batch order identical at the start of epoch 1, weights differ after it: " +
            "the configuration changed (learningRate 0.01 -> 0.02)", report[2]);
        Assert.DoesNotContain(report, line => line.Contains("kernel", StringComparison.Ordinal));
        // The same two runs with equal settings would blame the numerics: the settings are what changed the message.
        var sameSettings = received with { Config = baseline.Config, Fingerprint = received.Fingerprint with { ConfigHash = baseline.Fingerprint.ConfigHash } };
        Assert.Contains("a kernel, library or code change", DivergenceReport.Render(FingerprintComparer.Compare(baseline, sameSettings), "b.json"));
    }

    static BaselineFile Received(TrainedRun run) => new()
    {
        Test = "ConfigChangeReportTests",
        Key = run.Environment.Key,
        Config = run.Settings,
        Environment = run.Environment,
        Fingerprint = run.Fingerprint,
    };

    sealed class Configured(double learningRate) : SumsCheck
    {
        public override object Settings => new { Name, Seed, Epochs, LearningRate = learningRate };

        protected internal override TorchSharp.torch.optim.Optimizer CreateOptimizer(TorchSharp.torch.nn.Module model, TrainingContext context) =>
            TorchSharp.torch.optim.Adam(model.parameters(), learningRate);
    }
}
