using System.Globalization;
using System.Text;

namespace Repro.Tests.Support.Causes;

// Data that depends on the machine: its culture, its file system.

/// <summary>Units stored as text (invariant, like any CSV) and read back with float.Parse in the current culture.</summary>
public sealed class CultureParsedUnits : RegressionCheck
{
    protected override IReadOnlyList<Unit> LoadUnits(TrainingContext context) =>
        [.. base.LoadUnits(context).Select(u => u with { Rows = Parse(Format(u.Rows)) })];

    static string Format(float[] rows) => string.Join(";", rows.Select(v => v.ToString("R", CultureInfo.InvariantCulture)));

    static float[] Parse(string text) => [.. text.Split(';').Select(field => float.Parse(field))];
}

/// <summary>Units read from a folder of files in the order the file system lists them.</summary>
public class UnsortedFileListing : RegressionCheck
{
    public override string Name => "FileListing";

    protected override IReadOnlyList<Unit> LoadUnits(TrainingContext context)
    {
        var folder = WriteUnits(base.LoadUnits(context));
        try
        {
            return [.. ListFiles(folder).Select(path => new Unit(Path.GetFileNameWithoutExtension(path), Read(path)))];
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    protected virtual IEnumerable<string> ListFiles(string folder) => Directory.EnumerateFiles(folder);

    // Written in a scrambled order, so that neither creation order nor name order is what a listing returns by accident.
    static string WriteUnits(IReadOnlyList<Unit> units)
    {
        var folder = Directory.CreateTempSubdirectory("repro-units-").FullName;
        foreach (var i in new[] { 4, 1, 7, 0, 6, 2, 5, 3 }.Where(i => i < units.Count))
            File.WriteAllBytes(Path.Combine(folder, units[i].Name + ".bin"), [.. units[i].Rows.SelectMany(BitConverter.GetBytes)]);
        return folder;
    }

    static float[] Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        return [.. Enumerable.Range(0, bytes.Length / sizeof(float)).Select(i => BitConverter.ToSingle(bytes, i * sizeof(float)))];
    }
}

/// <summary>The same loader with the listing sorted: what the baseline was recorded with (or what another machine's file system lists).</summary>
public sealed class SortedFileListing : UnsortedFileListing
{
    protected override IEnumerable<string> ListFiles(string folder) => base.ListFiles(folder).Order(StringComparer.Ordinal);
}

/// <summary>
/// Feature statistics summed the way TensorPrimitives.Sum does: one partial sum per lane of the widest
/// hardware vector .NET uses here (16, 8 or 4 floats), lanes added at the end. Identical on one machine,
/// other bits where the JIT's SIMD width differs (an AVX2-only runner next to an AVX-512 machine).
/// </summary>
public sealed class SimdSummedStatistics : RegressionCheck
{
    protected override float[] FeatureStatistics(IReadOnlyList<Unit> units)
    {
        var statistics = new float[2 * Features];
        for (var f = 0; f < Features; f++)
        {
            var values = Column(units, f);
            var mean = VectorSum(values) / values.Length;
            statistics[f] = mean;
            statistics[Features + f] = MathF.Sqrt(VectorSum([.. values.Select(v => (v - mean) * (v - mean))]) / values.Length);
        }
        return statistics;
    }

    static float VectorSum(float[] values)
    {
        var lanes = System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated ? 16 : System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated ? 8 : 4;
        var partial = new float[lanes];
        var whole = values.Length / lanes * lanes;
        for (var i = 0; i < whole; i++) partial[i % lanes] += values[i];
        var total = 0f;
        foreach (var lane in partial) total += lane;
        for (var i = whole; i < values.Length; i++) total += values[i];
        return total;
    }
}
