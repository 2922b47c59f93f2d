using Xunit;

namespace Repro.DualTask.Tests.Data;

public class SyntheticCmapssTests
{
    [Fact]
    public void The_same_seed_gives_a_byte_identical_dataset()
    {
        var options = TestData.Tiny with { Regimes = 6 };
        var first = SyntheticCmapss.Generate(7, options);
        var second = SyntheticCmapss.Generate(7, options);
        Assert.Equal(first.ContentHash(), second.ContentHash());
        for (var i = 0; i < first.Train.Count; i++)
            Assert.True(first.Train[i].Values.SequenceEqual(second.Train[i].Values));
        Assert.Equal(first.TestRul, second.TestRul);
    }

    [Fact]
    public void A_different_seed_gives_a_different_dataset()
    {
        var first = SyntheticCmapss.Generate(7, TestData.Tiny);
        var second = SyntheticCmapss.Generate(8, TestData.Tiny);
        Assert.NotEqual(first.ContentHash(), second.ContentHash());
        Assert.False(first.Train[0].Values.SequenceEqual(second.Train[0].Values));
    }

    [Fact]
    public void A_unit_does_not_depend_on_how_many_units_are_generated_or_in_which_order()
    {
        var small = SyntheticCmapss.Generate(3, TestData.Tiny with { TrainUnits = 2, TestUnits = 2 });
        var large = SyntheticCmapss.Generate(3, TestData.Tiny with { TrainUnits = 9, TestUnits = 7 });
        var backwards = Enumerable.Range(1, 9).Reverse().Select(u => SyntheticCmapss.GenerateUnit(3, u, false, TestData.Tiny)).Reverse().ToArray();
        for (var i = 0; i < 2; i++)
        {
            Assert.True(small.Train[i].Values.SequenceEqual(large.Train[i].Values));
            Assert.True(small.Test[i].Values.SequenceEqual(large.Test[i].Values));
            Assert.Equal(small.TestRul[i], large.TestRul[i]);
        }
        for (var i = 0; i < 9; i++)
            Assert.True(backwards[i].Values.SequenceEqual(large.Train[i].Values));
        for (var i = 0; i < 7; i++)
        {
            Assert.True(SyntheticCmapss.GenerateUnit(3, i + 1, true, TestData.Tiny).Values.SequenceEqual(large.Test[i].Values));
            Assert.Equal(SyntheticCmapss.TrueRul(3, i + 1, TestData.Tiny), large.TestRul[i]);
        }
    }

    [Fact]
    public void Training_and_test_units_with_the_same_number_are_different_engines()
    {
        var train = SyntheticCmapss.GenerateUnit(3, 1, false, TestData.Tiny);
        var test = SyntheticCmapss.GenerateUnit(3, 1, true, TestData.Tiny);
        var shared = Math.Min(train.Length, test.Length);
        Assert.False(train.Values[..(shared * EngineRun.ValuesPerCycle)].SequenceEqual(test.Values[..(shared * EngineRun.ValuesPerCycle)]));
    }

    [Fact]
    public void Informative_sensors_trend_with_damage_while_flat_sensors_stay_flat()
    {
        var options = new SyntheticCmapssOptions { TrainUnits = 8, TestUnits = 0, MinLife = 300, MaxLife = 362 };
        var runs = SyntheticCmapss.Generate(11, options).Train;
        double Trend(EngineRun run, int sensor) =>
            TestData.Correlation(TestData.SensorSeries(run, sensor), run.Cycles.ToArray().Select(c => (double)c).ToArray());
        // Per unit the bound is loose because noise differs between engines; on average it is tight.
        Assert.All(runs, run => Assert.True(Trend(run, 11) > 0.5, $"s11 of unit {run.Unit} should rise with wear"));
        Assert.All(runs, run => Assert.True(Trend(run, 12) < -0.5, $"s12 of unit {run.Unit} should fall with wear"));
        Assert.True(runs.Average(r => Trend(r, 11)) > 0.65);
        Assert.True(runs.Average(r => Trend(r, 4)) > 0.65);
        Assert.True(runs.Average(r => Math.Abs(Trend(r, 6))) < 0.25, "s6 is noise without a trend");
        foreach (var flat in new[] { 1, 5, 10, 16, 18, 19 })
            Assert.All(runs, run => Assert.Single(TestData.SensorSeries(run, flat).Distinct()));
    }

    [Fact]
    public void Every_unit_fails_within_the_configured_life_range()
    {
        var options = new SyntheticCmapssOptions { TrainUnits = 60, TestUnits = 60, MinLife = 50, MaxLife = 120 };
        var data = SyntheticCmapss.Generate(5, options);
        Assert.All(data.Train, run => Assert.InRange(run.Length, options.MinLife, options.MaxLife));
        for (var i = 0; i < data.Test.Count; i++)
        {
            Assert.True(data.TestRul[i] >= 1, "a test unit is cut before it fails");
            Assert.InRange(data.Test[i].Length + data.TestRul[i], options.MinLife, options.MaxLife);
        }
        Assert.True(data.Train.Select(r => r.Length).Distinct().Count() > 10, "lives should vary between units");
    }

    [Fact]
    public void The_health_index_falls_from_one_minus_the_initial_wear_and_crosses_zero_at_the_last_cycle()
    {
        var rng = RandomStreams.Create(1, "degradation-test");
        for (var i = 0; i < 50; i++)
        {
            var path = DegradationPath.Sample(rng, 128, 362);
            Assert.InRange(path.Life, 128, 362);
            Assert.Equal(1 - path.InitialWear, path.Health(0), 12);
            Assert.Equal(0, path.Health(path.Life), 9);
            Assert.True(path.Health(path.Life - 1) > 0);
            for (var t = 1; t <= path.Life; t++) Assert.True(path.Health(t) < path.Health(t - 1));
        }
    }

    [Fact]
    public void Multi_regime_data_moves_sensor_levels_far_more_than_wear()
    {
        var run = SyntheticCmapss.GenerateUnit(2, 1, false, TestData.Tiny with { Regimes = 6 });
        var byAltitude = Enumerable.Range(0, run.Length).GroupBy(r => Math.Round(run.Setting(r, 1))).ToArray();
        Assert.Equal(6, byAltitude.Length);
        var levels = byAltitude.Select(g => g.Average(r => run.Sensor(r, 2))).ToArray();
        Assert.True(levels.Max() - levels.Min() > 20, "s2 levels should differ strongly between regimes");
    }

    [Fact]
    public void Invalid_options_are_rejected_with_the_setting_named()
    {
        var ex = Assert.Throws<ReproException>(() => SyntheticCmapss.Generate(1, TestData.Tiny with { Regimes = 7 }));
        Assert.Contains("Regimes", ex.Message);
        ex = Assert.Throws<ReproException>(() => SyntheticCmapss.Generate(1, TestData.Tiny with { MinLife = 50, MaxLife = 40 }));
        Assert.Contains("MaxLife", ex.Message);
        Assert.Throws<ReproException>(() => SyntheticCmapss.GenerateUnit(1, 0, false, TestData.Tiny));
    }
}
