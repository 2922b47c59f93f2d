using Xunit;

namespace Repro.DualTask.Tests.Data;

// The FD003/FD004-like option of the synthetic generator: two fault modes, drawn per unit.
public class FaultModeTests
{
    static readonly SyntheticCmapssOptions TwoFaults = TestData.Tiny with { TrainUnits = 24, FaultModes = FaultModes.HpcAndFan };

    // s8's drift over a unit's life: mean of its last 10 cycles minus mean of its first 10.
    static double FanSpeedDrift(EngineRun run)
    {
        double first = 0, last = 0;
        for (var row = 0; row < 10; row++)
        {
            first += run.Sensor(row, 8);
            last += run.Sensor(run.Length - 1 - row, 8);
        }
        return (last - first) / 10;
    }

    [Fact(DisplayName = "Fault modes: with HpcAndFan both modes occur, and the fan speed s8 drifts up under HPC and down under fan degradation")]
    public void Two_fault_modes_are_present_and_visible_in_the_sensors()
    {
        var data = SyntheticCmapss.Generate(3, TwoFaults);
        var modes = data.Train.Select(run => SyntheticCmapss.FaultMode(3, run.Unit, false, TwoFaults)).ToList();
        Assert.Contains(1, modes);
        Assert.Contains(2, modes);
        for (var i = 0; i < data.Train.Count; i++)
        {
            var drift = FanSpeedDrift(data.Train[i]);
            if (modes[i] == 1) Assert.True(drift > 0, $"unit {data.Train[i].Unit} (HPC) s8 drift {drift}");
            else Assert.True(drift < 0, $"unit {data.Train[i].Unit} (fan) s8 drift {drift}");
        }
    }

    [Fact(DisplayName = "Fault modes: the default (HPC only) has one mode, s8 drifts up in every unit, and its data is unchanged by the option's existence")]
    public void Default_is_one_fault_mode()
    {
        var options = TwoFaults with { FaultModes = FaultModes.Hpc };
        var data = SyntheticCmapss.Generate(3, options);
        Assert.All(data.Train, run => Assert.Equal(1, SyntheticCmapss.FaultMode(3, run.Unit, false, options)));
        Assert.All(data.Train, run => Assert.True(FanSpeedDrift(run) > 0, $"unit {run.Unit}"));
        // Units whose draw is HPC are byte-identical with and without the option: only fan units change.
        var two = SyntheticCmapss.Generate(3, TwoFaults);
        for (var i = 0; i < data.Train.Count; i++)
        {
            var hpc = SyntheticCmapss.FaultMode(3, i + 1, false, TwoFaults) == 1;
            Assert.Equal(hpc, data.Train[i].Values.SequenceEqual(two.Train[i].Values));
        }
    }

    [Fact(DisplayName = "Fault modes: FD004-like data (six regimes, two fault modes) is byte-identical for a seed and differs for another")]
    public void Fd004_like_data_is_deterministic()
    {
        var options = TwoFaults with { Regimes = 6 };
        Assert.Equal(SyntheticCmapss.Generate(5, options).ContentHash(), SyntheticCmapss.Generate(5, options).ContentHash());
        Assert.NotEqual(SyntheticCmapss.Generate(5, options).ContentHash(), SyntheticCmapss.Generate(6, options).ContentHash());
        Assert.Equal(6, OperatingRegimes.Fit(SyntheticCmapss.Generate(5, options).Train).Count);
    }
}
