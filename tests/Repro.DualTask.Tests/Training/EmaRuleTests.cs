using Repro.Xunit;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Repro.DualTask.Tests.Training;

// The opt-in EMA rules of DualTaskConfig (EmaWarmup, EmaBuffers): the warm-up decay per step and
// which BatchNorm statistics the averaged model is evaluated with.
[Collection(ReproCollection.Name)]
public sealed class EmaRuleTests
{
    [Fact(DisplayName = "EMA warm-up: the shadow after three updates is 0.1, 2/11 and 3/12 decays of the same tensors, not 0.999")]
    public void Warmup_decays_per_step()
    {
        using var parameter = new TorchSharp.Modules.Parameter(tensor(new float[] { 1, -2, 4 }));
        using var warm = new ExponentialMovingAverage([parameter], 0.999, warmup: true);
        using var plain = new ExponentialMovingAverage([parameter], 0.999, warmup: false);
        double[] shadowWarm = [1, -2, 4], shadowPlain = [1, -2, 4];
        // Hand-computed decays of updates 1..3: (1 + t) / (10 + t) for t = 0, 1, 2.
        double[] decays = [0.1, 2.0 / 11, 0.25];
        float[][] values = [[3, 0, -1], [5, 2, 2], [-4, 1, 8]];
        for (var step = 0; step < values.Length; step++)
        {
            using (no_grad()) parameter.copy_(tensor(values[step]));
            warm.Update();
            plain.Update();
            for (var i = 0; i < 3; i++)
            {
                shadowWarm[i] = decays[step] * shadowWarm[i] + (1 - decays[step]) * values[step][i];
                shadowPlain[i] = 0.999 * shadowPlain[i] + 0.001 * values[step][i];
            }
        }
        Assert.Equal(3, warm.Updates);
        var warmShadow = warm.Shadow.Single().data<float>().ToArray();
        var plainShadow = plain.Shadow.Single().data<float>().ToArray();
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(shadowWarm[i], warmShadow[i], 5);
            Assert.Equal(shadowPlain[i], plainShadow[i], 5);
        }
        // Without the warm-up the average is still almost the initial weights; with it, almost the last ones.
        Assert.True(Math.Abs(warmShadow[0] - values[2][0]) < Math.Abs(warmShadow[0] - 1), $"warm shadow {warmShadow[0]} should be nearer the last value {values[2][0]} than the initial 1");
        Assert.True(Math.Abs(plainShadow[0] - 1) < 0.05, $"plain shadow {plainShadow[0]} should stay near the initial 1");
    }

    [Theory(DisplayName = "EMA warm-up: decay_t = min(decay, (1 + t) / (10 + t)); the configured decay from t = 8991 on for 0.999")]
    [InlineData(0, 0.1)]
    [InlineData(90, 0.91)]
    [InlineData(8990, 8991.0 / 9000)]
    [InlineData(8991, 0.999)]
    [InlineData(1_000_000, 0.999)]
    public void Warmup_formula(long updatesBefore, double expected)
    {
        Assert.Equal(expected, ExponentialMovingAverage.DecayAt(0.999, warmup: true, updatesBefore), 12);
        Assert.Equal(0.999, ExponentialMovingAverage.DecayAt(0.999, warmup: false, updatesBefore));
    }

    [Fact(DisplayName = "EMA buffers: 'averaged' swaps in running statistics averaged with the weights' decay, 'live' keeps the live ones; both swap back")]
    public void Batchnorm_buffer_rule()
    {
        using var norm = nn.BatchNorm1d(2);
        var parameters = norm.parameters().ToArray();
        var liveMean = norm.running_mean!;
        using var averaged = new ExponentialMovingAverage(parameters, 0.999, warmup: true, buffers: [norm.running_mean!, norm.running_var!]);
        using var live = new ExponentialMovingAverage(parameters, 0.999, warmup: true);
        norm.train();
        // Batch mean (2, 10): the running mean moves from 0 to 0.1 * batch mean = (0.2, 1.0) (momentum 0.1).
        using (no_grad()) norm.call(tensor(new float[] { 1, 8, 3, 12 }, [2, 2]));
        averaged.Update();
        live.Update();
        var trained = liveMean.data<float>().ToArray();
        Assert.Equal(0.2, trained[0], 5);
        Assert.Equal(1.0, trained[1], 5);
        // First warm-up update: decay 0.1, so the averaged mean is 0.1 * 0 + 0.9 * (0.2, 1.0).
        using (averaged.Apply())
        {
            var swapped = norm.running_mean!.data<float>().ToArray();
            Assert.Equal(0.18, swapped[0], 5);
            Assert.Equal(0.9, swapped[1], 5);
        }
        Assert.Equal(trained, norm.running_mean!.data<float>().ToArray());
        using (live.Apply()) Assert.Equal(trained, norm.running_mean!.data<float>().ToArray());
        Assert.Equal(trained, norm.running_mean!.data<float>().ToArray());
    }

    [CpuFact(DisplayName = "EMA buffers: averaged statistics change only evaluation (same losses, other validation RMSE), deterministically")]
    public void Averaged_buffers_change_only_evaluation()
    {
        var live = PipelineConfigs.Baseline with { Epochs = 1, EmaWarmup = true, EmaBuffers = EmaBufferRule.Live };
        var first = Trainer.Train(live with { EmaBuffers = EmaBufferRule.Averaged });
        var second = Trainer.Train(live with { EmaBuffers = EmaBufferRule.Averaged });
        var withLive = Trainer.Train(live);
        Assert.Equal(ReproJson.Serialize(first), ReproJson.Serialize(second));
        Assert.Equal(withLive.Epochs[0].Metrics["totalLoss"], first.Epochs[0].Metrics["totalLoss"]);
        Assert.NotEqual(withLive.Epochs[0].Metrics["validationRmse"], first.Epochs[0].Metrics["validationRmse"]);
    }
}
