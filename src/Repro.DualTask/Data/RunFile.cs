using System.Globalization;
using System.Text;

namespace Repro.DualTask;

/// <summary>Parser and writer for one <c>train_</c>/<c>test_</c> file; errors point at file, line and column.</summary>
internal static class RunFile
{
    const int Columns = 2 + EngineRun.ValuesPerCycle;

    public static List<EngineRun> Read(string path)
    {
        var runs = new List<EngineRun>();
        var cycles = new List<int>();
        var values = new List<float>();
        var unit = 0;
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            var fields = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 0) continue;
            if (fields.Length != Columns)
            {
                var column = fields.Length < Columns ? fields.Length + 1 : Columns + 1;
                throw Error(path, lineNumber, column, $"the row has {fields.Length} fields but needs {Columns} (unit, cycle, setting1..3, s1..s21); fix or remove the row");
            }
            var rowUnit = ParseInt(path, lineNumber, 1, fields[0]);
            var cycle = ParseInt(path, lineNumber, 2, fields[1]);
            if (rowUnit != unit)
            {
                if (rowUnit < unit)
                    throw Error(path, lineNumber, 1, $"unit {rowUnit} appears after unit {unit}; rows of one unit must be contiguous and units in increasing order");
                Flush(runs, unit, cycles, values);
                unit = rowUnit;
            }
            else if (cycle <= cycles[^1])
            {
                throw Error(path, lineNumber, 2, $"cycle {cycle} of unit {unit} does not increase (previous row had cycle {cycles[^1]}); sort each unit's rows by cycle");
            }
            cycles.Add(cycle);
            for (var c = 2; c < Columns; c++) values.Add(ParseFloat(path, lineNumber, c + 1, fields[c]));
        }
        if (lineNumber == 0 || unit == 0)
            throw Error(path, 1, 1, $"the file is empty; it needs rows of {Columns} numbers (unit, cycle, setting1..3, s1..s21)");
        Flush(runs, unit, cycles, values);
        return runs;
    }

    public static void Write(string path, IReadOnlyList<EngineRun> runs)
    {
        // '\n' and invariant culture so the bytes do not depend on the OS or the user's locale.
        var text = new StringBuilder();
        foreach (var run in runs)
        {
            for (var row = 0; row < run.Length; row++)
            {
                text.Append(run.Unit.ToString(CultureInfo.InvariantCulture)).Append(' ')
                    .Append(run.Cycles[row].ToString(CultureInfo.InvariantCulture));
                foreach (var value in run.Row(row)) text.Append(' ').Append(value.ToString(CultureInfo.InvariantCulture));
                text.Append('\n');
            }
        }
        File.WriteAllText(path, text.ToString(), new UTF8Encoding(false));
    }

    internal static ReproException Error(string path, int line, int column, string problem) =>
        new($"{path}: line {line}, column {column} ({ColumnName(column)}): {problem}.");

    static string ColumnName(int column) => column switch
    {
        1 => "unit",
        2 => "cycle",
        <= 2 + EngineRun.SettingCount => $"setting{column - 2}",
        <= Columns => $"s{column - 2 - EngineRun.SettingCount}",
        _ => "extra field",
    };

    static void Flush(List<EngineRun> runs, int unit, List<int> cycles, List<float> values)
    {
        if (cycles.Count == 0) return;
        runs.Add(new EngineRun(unit, cycles.ToArray(), values.ToArray()));
        cycles.Clear();
        values.Clear();
    }

    static int ParseInt(string path, int line, int column, string field)
    {
        if (!int.TryParse(field, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < 1)
            throw Error(path, line, column, $"'{field}' is not a positive whole number");
        return value;
    }

    static float ParseFloat(string path, int line, int column, string field)
    {
        if (!float.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !float.IsFinite(value))
            throw Error(path, line, column, $"'{field}' is not a finite number");
        return value;
    }
}
