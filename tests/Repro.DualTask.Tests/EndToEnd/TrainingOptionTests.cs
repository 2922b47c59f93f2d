using Repro.Xunit;
using Xunit;

namespace Repro.DualTask.Tests.EndToEnd;

// Gradient accumulation, EMA and early stopping each change what is trained: the fingerprint must
// move away from the baseline, and move to the same place every time.
[Collection(ReproCollection.Name)]
public sealed class TrainingOptionTests
{
    [CpuFact(DisplayName = "Pipeline: gradient accumulation 2 vs 1 changes the fingerprint deterministically (half the optimizer steps)")]
    public void Gradient_accumulation()
    {
        var changed = TrainTwiceIdentically(PipelineConfigs.Baseline with { GradientAccumulationSteps = 2 });
        var baseline = PipelineConfigs.BaselineFingerprint;
        Assert.True(changed.OptimizerSteps < baseline.OptimizerSteps, $"{changed.OptimizerSteps} steps with accumulation vs {baseline.OptimizerSteps} without");
        Assert.NotEqual(baseline.ModelHash, changed.ModelHash);
    }

    [CpuFact(DisplayName = "Pipeline: EMA off changes the fingerprint deterministically (validation sees the raw weights)")]
    public void Ema_off()
    {
        var changed = TrainTwiceIdentically(PipelineConfigs.Baseline with { EmaDecay = null, EmaWarmup = false, EmaBuffers = EmaBufferRule.Live });
        var baseline = PipelineConfigs.BaselineFingerprint;
        Assert.NotEqual(baseline.Epochs[0].Metrics["validationRmse"], changed.Epochs[0].Metrics["validationRmse"]);
        Assert.NotEqual(baseline.ModelHash, changed.ModelHash);
        // The training itself does not read the EMA: same losses in the first epoch.
        Assert.Equal(baseline.Epochs[0].Metrics["totalLoss"], changed.Epochs[0].Metrics["totalLoss"]);
    }

    [CpuFact(DisplayName = "Pipeline: early stopping changes the fingerprint deterministically (best epoch recorded)")]
    public void Early_stopping()
    {
        var changed = TrainTwiceIdentically(PipelineConfigs.Baseline with { EarlyStoppingPatience = 1 });
        var baseline = PipelineConfigs.BaselineFingerprint;
        Assert.Null(baseline.BestEpoch);
        Assert.NotNull(changed.BestEpoch);
        Assert.NotEqual(PipelineConfigs.Json(baseline), PipelineConfigs.Json(changed));
    }

    static TrainingFingerprint TrainTwiceIdentically(DualTaskConfig config)
    {
        var first = Trainer.Train(config);
        var second = Trainer.Train(config);
        Assert.Equal(PipelineConfigs.Json(first), PipelineConfigs.Json(second));
        Assert.NotEqual(PipelineConfigs.Json(PipelineConfigs.BaselineFingerprint), PipelineConfigs.Json(first));
        return first;
    }
}
