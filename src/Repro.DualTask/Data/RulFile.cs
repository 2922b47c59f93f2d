using System.Globalization;
using System.Text;

namespace Repro.DualTask;

/// <summary>Parser and writer for <c>RUL_FD00x.txt</c>: one non-negative integer per test unit.</summary>
internal static class RulFile
{
    public static int[] Read(string path, int testUnits, string testFileName)
    {
        var values = new List<int>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            var fields = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 0) continue;
            if (fields.Length != 1)
                throw RunFile.Error(path, lineNumber, 2, $"the row has {fields.Length} fields but needs 1 (the RUL of one test unit)");
            if (!int.TryParse(fields[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var rul) || rul < 0)
                throw RunFile.Error(path, lineNumber, 1, $"'{fields[0]}' is not a non-negative whole number of cycles");
            values.Add(rul);
            if (values.Count > testUnits)
                throw RunFile.Error(path, lineNumber, 1, $"more RUL values than the {testUnits} units in {testFileName}; give one RUL per test unit");
        }
        if (values.Count == 0)
            throw RunFile.Error(path, 1, 1, $"the file is empty; it needs one RUL per test unit ({testUnits} lines)");
        if (values.Count < testUnits)
            throw RunFile.Error(path, lineNumber + 1, 1, $"only {values.Count} RUL values for the {testUnits} units in {testFileName}; give one RUL per test unit");
        return values.ToArray();
    }

    public static void Write(string path, IReadOnlyList<int> rul)
    {
        var text = new StringBuilder();
        foreach (var value in rul) text.Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');
        File.WriteAllText(path, text.ToString(), new UTF8Encoding(false));
    }
}
