namespace Repro.DualTask;

/// <summary>
/// One engine's record: for each cycle the 3 operating settings and the 21 sensors, in the column
/// order of the C-MAPSS text files (setting1..3, s1..s21).
/// </summary>
public sealed class EngineRun
{
    /// <summary>Operating-setting columns per cycle.</summary>
    public const int SettingCount = 3;

    /// <summary>Sensor columns per cycle.</summary>
    public const int SensorCount = 21;

    /// <summary>Values stored per cycle: settings then sensors.</summary>
    public const int ValuesPerCycle = SettingCount + SensorCount;

    readonly int[] _cycles;
    readonly float[] _values;

    /// <summary>
    /// Copies the arrays so a caller cannot change the run afterwards (hashes recorded in a training
    /// fingerprint must keep describing the data that was used).
    /// </summary>
    /// <param name="unit">Unit id, positive.</param>
    /// <param name="cycles">Cycle numbers, positive and strictly increasing.</param>
    /// <param name="values">Row-major <c>[cycles.Length, ValuesPerCycle]</c>.</param>
    public EngineRun(int unit, ReadOnlySpan<int> cycles, ReadOnlySpan<float> values)
    {
        if (unit < 1) throw new ReproException($"EngineRun unit id {unit} must be positive (C-MAPSS numbers units from 1).");
        if (cycles.Length == 0) throw new ReproException($"EngineRun for unit {unit} has no cycles; every unit needs at least one row.");
        if (values.Length != cycles.Length * ValuesPerCycle)
            throw new ReproException($"EngineRun for unit {unit} has {values.Length} values for {cycles.Length} cycles; pass {ValuesPerCycle} values per cycle (3 settings, 21 sensors).");
        for (var i = 0; i < cycles.Length; i++)
        {
            if (cycles[i] < 1 || (i > 0 && cycles[i] <= cycles[i - 1]))
                throw new ReproException($"EngineRun for unit {unit}: cycle {cycles[i]} at row {i} must be positive and greater than the previous cycle.");
        }
        Unit = unit;
        _cycles = cycles.ToArray();
        _values = values.ToArray();
    }

    /// <summary>Unit id (first column of the C-MAPSS files).</summary>
    public int Unit { get; }

    /// <summary>Number of recorded cycles (rows).</summary>
    public int Length => _cycles.Length;

    /// <summary>Cycle numbers, one per row.</summary>
    public ReadOnlySpan<int> Cycles => _cycles;

    /// <summary>All values, row-major <c>[Length, ValuesPerCycle]</c>.</summary>
    public ReadOnlySpan<float> Values => _values;

    /// <summary>The values of one row: 3 settings then 21 sensors.</summary>
    public ReadOnlySpan<float> Row(int row) => _values.AsSpan(row * ValuesPerCycle, ValuesPerCycle);

    /// <summary>Operating setting <paramref name="setting"/> (1..3, as in "setting1") at a row.</summary>
    public float Setting(int row, int setting)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(setting, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(setting, SettingCount);
        return _values[row * ValuesPerCycle + setting - 1];
    }

    /// <summary>Sensor <paramref name="sensor"/> (1..21, as in "s11") at a row.</summary>
    public float Sensor(int row, int sensor)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sensor, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(sensor, SensorCount);
        return _values[row * ValuesPerCycle + SettingCount + sensor - 1];
    }

    internal void AppendTo(ContentHasher hasher)
    {
        hasher.Add(Unit);
        hasher.Add(_cycles);
        hasher.Add(_values);
    }
}
