using CsCheck;
using Repro.Xunit;
using Xunit;

namespace Repro.DualTask.Tests.Training;

// The other half of validation: every config that passes it must train. Generated small configs
// across the valid range of each field (tiny windows, one-unit strides, odd head counts, batches
// larger than the data) train without any exception.
[Collection(ReproCollection.Name)]
public sealed class ValidConfigPropertyTests
{
    static readonly Gen<DualTaskModelConfig> Models =
        Gen.Select(Gen.Int[1, 6], Gen.Int[1, 6], Gen.Int[1, 6], Gen.Int[1, 3], Gen.Int[1, 4], Gen.Int[1, 3], Gen.Double[0, 0.9], Gen.Int[1, 6])
            .Select(m => DualTaskModelConfig.Small with
            {
                Conv1Channels = m.Item1, Conv2Channels = m.Item2, Conv3Channels = m.Item3, HiddenSize = 2 * m.Item4 * m.Item5, AttentionHeads = m.Item5,
                LstmLayers = m.Item6, Dropout = m.Item7, AttentionDropout = m.Item7 / 2, FullyConnectedSize = m.Item8, SharedSize = m.Item8, HeadSize = m.Item8,
            });

    static readonly Gen<DualTaskConfig> Configs = Gen.Select(
        Models,
        Gen.Select(Gen.Int[2, 4], Gen.Int[1, 3], Gen.Int[1, 6], Gen.Int[2, 40], Gen.Int[0, 30], Gen.Int[1, 40], Gen.Int[1, 5], Gen.Double[0.1, 0.9]),
        Gen.Select(Gen.Int[1, 80], Gen.Int[1, 3], Gen.Int[1, 2], Gen.Bool, Gen.Bool, Gen.Int[1, 2]),
        (model, data, training) => TinyInputs.Config with
        {
            Model = model,
            Data = new DataSource
            {
                Synthetic = new SyntheticCmapssOptions { TrainUnits = data.Item1, TestUnits = data.Item2, Regimes = data.Item3, MinLife = data.Item4, MaxLife = data.Item4 + data.Item5 },
                Preprocessing = new PreprocessingOptions { WindowLength = data.Item6, Stride = data.Item7, ValidationFraction = data.Item8 },
            },
            BatchSize = training.Item1,
            GradientAccumulationSteps = training.Item2,
            Epochs = training.Item3,
            EmaDecay = training.Item4 ? 0.5 : null,
            // The EMA rules describe an EMA: on with it (small's own), at their defaults without one.
            EmaWarmup = training.Item4 && TinyInputs.Config.EmaWarmup,
            EmaBuffers = training.Item4 ? TinyInputs.Config.EmaBuffers : EmaBufferRule.Live,
            EarlyStoppingPatience = training.Item5 ? 1 : null,
            DataWorkers = training.Item6,
        });

    [Fact]
    public void Every_generated_valid_config_trains()
    {
        Property.Check(Configs, config =>
        {
            var fingerprint = Trainer.Train(config);
            Assert.InRange(fingerprint.Epochs.Count, 1, config.Epochs);
        }, ciCases: 12, seed: 20260405);
        Determinism.Apply(new DeterminismOptions());
    }
}
