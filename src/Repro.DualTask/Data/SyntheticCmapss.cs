using Repro.Advanced;

namespace Repro.DualTask;

/// <summary>
/// Seeded C-MAPSS-like data after Saxena et al. (2008), "Damage propagation modeling for aircraft
/// engine run-to-failure simulation": each unit's health index falls as
/// <c>1 - d - (exp(a t^b) - 1)</c> until it reaches 0 at the failure cycle; the 14 informative
/// sensors drift with the damage, the other 7 stay flat; process noise (a slow AR(1) shared by all
/// sensors) and measurement noise sit on top; with several regimes every cycle is flown in one of the
/// six C-MAPSS flight conditions, which moves all sensor levels far more than wear does; with two fault
/// modes each unit fails by HPC or by fan degradation (<see cref="FaultMode"/>).
/// </summary>
/// <remarks>
/// Each unit comes from its own stream, <c>RandomStreams.Create(seed, "cmapss-train" or
/// "cmapss-test", unit)</c>, so a unit does not depend on how many other units are generated or in
/// which order. Test units are cut at a uniformly drawn 30%..97% of their life; the cycles left to
/// failure at the cut are their true RUL.
/// </remarks>
public static class SyntheticCmapss
{
    const double ProcessMemory = 0.9;
    const double MinObservedFraction = 0.30;
    const double MaxObservedFraction = 0.97;

    /// <summary>All training units 1..TrainUnits and test units 1..TestUnits; byte-identical for one seed.</summary>
    public static CmapssDataset Generate(long seed, SyntheticCmapssOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var train = new EngineRun[options.TrainUnits];
        for (var i = 0; i < train.Length; i++) train[i] = GenerateUnit(seed, i + 1, false, options);
        var test = new EngineRun[options.TestUnits];
        var rul = new int[options.TestUnits];
        for (var i = 0; i < test.Length; i++) (test[i], rul[i]) = Simulate(seed, i + 1, true, options);
        var faults = options.FaultModes == FaultModes.Hpc ? "" : "-2fault";
        return new CmapssDataset($"synthetic-{options.Regimes}regime{faults}-seed{seed}", train, test, rul);
    }

    /// <summary>
    /// One unit as a pure function of its arguments. Training units run to failure (last row RUL 0);
    /// test units stop before failure, see <see cref="TrueRul"/>.
    /// </summary>
    public static EngineRun GenerateUnit(long seed, int unit, bool test, SyntheticCmapssOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return Simulate(seed, unit, test, options).Run;
    }

    /// <summary>The RUL of a test unit at its last row (what <c>RUL_FD00x.txt</c> records).</summary>
    public static int TrueRul(long seed, int unit, SyntheticCmapssOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return Simulate(seed, unit, true, options).Rul;
    }

    /// <summary>
    /// The unit's fault mode: 1 (HPC degradation) or 2 (fan degradation, only with
    /// <see cref="FaultModes.HpcAndFan"/>). Drawn from its own stream, <c>"cmapss-train-fault"</c> or
    /// <c>"cmapss-test-fault"</c>, so turning the option on changes which sensors drift, never the
    /// unit's life, noise or regimes.
    /// </summary>
    public static int FaultMode(long seed, int unit, bool test, SyntheticCmapssOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.FaultModes == FaultModes.Hpc) return 1;
        return RandomStreams.Create(seed, test ? "cmapss-test-fault" : "cmapss-train-fault", unit).NextDouble() < 0.5 ? 1 : 2;
    }

    static (EngineRun Run, int Rul) Simulate(long seed, int unit, bool test, SyntheticCmapssOptions options)
    {
        if (unit < 1) throw new ReproException($"Unit {unit} must be 1 or more; synthetic units are numbered from 1 like C-MAPSS.");
        var fan = FaultMode(seed, unit, test, options) == 2;
        var rng = RandomStreams.Create(seed, test ? "cmapss-test" : "cmapss-train", unit);
        var path = DegradationPath.Sample(rng, options.MinLife, options.MaxLife);
        var fraction = MinObservedFraction + (MaxObservedFraction - MinObservedFraction) * rng.NextDouble();
        var length = test ? Math.Clamp((int)Math.Round(path.Life * fraction), 1, path.Life - 1) : path.Life;

        var offsets = new double[EngineRun.SensorCount];
        var gains = new double[EngineRun.SensorCount];
        for (var s = 0; s < offsets.Length; s++)
        {
            // Engines differ by manufacture: a small fixed offset and a +-20% response to the same wear.
            offsets[s] = 0.3 * SensorModel.NoiseStd(s) * rng.NextGaussian();
            gains[s] = 0.8 + 0.4 * rng.NextDouble();
        }

        var cycles = new int[length];
        var values = new float[length * EngineRun.ValuesPerCycle];
        var process = rng.NextGaussian();
        var innovation = Math.Sqrt(1 - ProcessMemory * ProcessMemory);
        for (var t = 0; t < length; t++)
        {
            var cycle = t + 1;
            cycles[t] = cycle;
            var regime = options.Regimes > 1 ? rng.Next(options.Regimes) : 0;
            var row = values.AsSpan(t * EngineRun.ValuesPerCycle, EngineRun.ValuesPerCycle);
            row[0] = (float)(SensorModel.RegimeSettings[regime, 0] + 0.002 * rng.NextGaussian());
            row[1] = (float)(SensorModel.RegimeSettings[regime, 1] + 0.0003 * rng.NextGaussian());
            row[2] = (float)SensorModel.RegimeSettings[regime, 2];
            process = ProcessMemory * process + innovation * rng.NextGaussian();
            var damage = path.Damage(cycle);
            for (var s = 0; s < EngineRun.SensorCount; s++)
            {
                var noise = SensorModel.NoiseStd(s);
                var value = SensorModel.Level(regime, s) + offsets[s]
                    + gains[s] * SensorModel.ChangeAtFailure(s, fan) * damage
                    + noise * (0.5 * process + rng.NextGaussian());
                row[EngineRun.SettingCount + s] = (float)(SensorModel.IsInteger(s) ? Math.Round(value) : value);
            }
        }
        return (new EngineRun(unit, cycles, values), path.Life - length);
    }
}
