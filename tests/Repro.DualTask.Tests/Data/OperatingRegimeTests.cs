using Xunit;

namespace Repro.DualTask.Tests.Data;

public class OperatingRegimeTests
{
    static readonly SyntheticCmapssOptions SixRegimes = TestData.Tiny with { Regimes = 6, TrainUnits = 10 };

    [Fact]
    public void Six_regime_data_clusters_into_the_six_flight_conditions()
    {
        var train = SyntheticCmapss.Generate(9, SixRegimes).Train;
        var regimes = OperatingRegimes.Fit(train);
        Assert.Equal(6, regimes.Count);
        foreach (var run in train)
        {
            for (var row = 0; row < run.Length; row++)
            {
                var centre = regimes.Centre(regimes.Assign(run.Row(row)));
                Assert.Equal(run.Setting(row, 1), centre[0], 0.05);
                Assert.Equal(run.Setting(row, 2), centre[1], 0.01);
                Assert.Equal(run.Setting(row, 3), centre[2], 0.5);
            }
        }
    }

    [Fact]
    public void Single_regime_data_has_one_regime()
    {
        var train = SyntheticCmapss.Generate(9, TestData.Tiny).Train;
        Assert.Equal(1, OperatingRegimes.Fit(train).Count);
    }

    [Fact]
    public void Regime_ids_do_not_depend_on_the_order_of_the_units()
    {
        var train = SyntheticCmapss.Generate(9, SixRegimes).Train;
        var forward = OperatingRegimes.Fit(train);
        var backward = OperatingRegimes.Fit(train.Reverse().ToArray());
        for (var k = 0; k < forward.Count; k++)
            Assert.Equal(forward.Centre(k)[0], backward.Centre(k)[0], 1e-9);
    }

    [Fact]
    public void Per_regime_normalisation_gives_zero_mean_and_unit_variance_in_each_regime_on_train()
    {
        var train = SyntheticCmapss.Generate(9, SixRegimes).Train;
        var scaler = FeatureScaler.Fit(train);
        var channels = CmapssPreprocessing.InformativeSensors.Count;
        var sums = new double[6, channels];
        var squares = new double[6, channels];
        var counts = new int[6];
        foreach (var run in train)
        {
            var features = scaler.Transform(run);
            for (var row = 0; row < run.Length; row++)
            {
                var k = scaler.Regimes.Assign(run.Row(row));
                counts[k]++;
                for (var c = 0; c < channels; c++)
                {
                    var v = features[row * CmapssPreprocessing.Channels + c];
                    sums[k, c] += v;
                    squares[k, c] += v * v;
                }
            }
        }
        for (var k = 0; k < 6; k++)
        {
            Assert.True(counts[k] > 30, $"regime {k} should have rows");
            for (var c = 0; c < channels; c++)
            {
                var mean = sums[k, c] / counts[k];
                Assert.Equal(0, mean, 1e-4);
                Assert.Equal(1, squares[k, c] / counts[k] - mean * mean, 1e-3);
            }
        }
    }

    [Fact]
    public void Without_regimes_the_same_sensors_would_be_far_from_standardised()
    {
        // Guards the test above: if regimes did not shift the sensors, per-regime scaling would be untested.
        var train = SyntheticCmapss.Generate(9, SixRegimes).Train;
        var rows = train.SelectMany(run => Enumerable.Range(0, run.Length).Select(r => (Run: run, Row: r))).ToArray();
        var all = rows.Select(x => (double)x.Run.Sensor(x.Row, 2)).ToArray();
        var globalStd = Math.Sqrt(all.Select(v => (v - all.Average()) * (v - all.Average())).Average());
        var seaLevel = rows.Where(x => Math.Abs(x.Run.Setting(x.Row, 1)) < 1).Select(x => (double)x.Run.Sensor(x.Row, 2)).ToArray();
        var seaLevelStd = Math.Sqrt(seaLevel.Select(v => (v - seaLevel.Average()) * (v - seaLevel.Average())).Average());
        Assert.True(globalStd > 10 * seaLevelStd);
    }

    [Fact]
    public void Statistics_come_from_training_units_only()
    {
        var data = SyntheticCmapss.Generate(9, SixRegimes);
        var options = new PreprocessingOptions { ValidationFraction = 0.3 };
        var baseline = CmapssPreprocessing.Prepare(data, options, seed: 1);
        var validationUnits = baseline.Validation.Units.Distinct().ToHashSet();

        // Shift every held-out and test unit; training windows must not move.
        var shifted = new CmapssDataset(data.Name,
            data.Train.Select(r => validationUnits.Contains(r.Unit) ? Shift(r) : r).ToArray(),
            data.Test.Select(Shift).ToArray(), data.TestRul);
        var changed = CmapssPreprocessing.Prepare(shifted, options, seed: 1);

        Assert.Equal(baseline.Train.ContentHash(), changed.Train.ContentHash());
        Assert.NotEqual(baseline.Validation.ContentHash(), changed.Validation.ContentHash());
        Assert.NotEqual(baseline.Test.ContentHash(), changed.Test.ContentHash());
    }

    static EngineRun Shift(EngineRun run)
    {
        var values = run.Values.ToArray();
        for (var i = 0; i < values.Length; i++)
            if (i % EngineRun.ValuesPerCycle >= EngineRun.SettingCount) values[i] += 5;
        return new EngineRun(run.Unit, run.Cycles, values);
    }
}
