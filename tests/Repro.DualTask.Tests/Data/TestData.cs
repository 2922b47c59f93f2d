namespace Repro.DualTask.Tests.Data;

/// <summary>Small shared fixtures for the data tests.</summary>
internal static class TestData
{
    public static readonly SyntheticCmapssOptions Tiny = new() { TrainUnits = 6, TestUnits = 4, MinLife = 40, MaxLife = 90 };

    /// <summary>A run whose sensor sn at cycle t is <c>n * 1000 + t</c>, so any row can be recognised by value.</summary>
    public static EngineRun Labelled(int unit, int length)
    {
        var cycles = Enumerable.Range(1, length).ToArray();
        var values = new float[length * EngineRun.ValuesPerCycle];
        for (var t = 0; t < length; t++)
        {
            values[t * EngineRun.ValuesPerCycle + 2] = 100;
            for (var s = 1; s <= EngineRun.SensorCount; s++)
                values[t * EngineRun.ValuesPerCycle + EngineRun.SettingCount + s - 1] = s * 1000 + cycles[t];
        }
        return new EngineRun(unit, cycles, values);
    }

    public static double Correlation(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        double mx = x.Average(), my = y.Average(), sxy = 0, sxx = 0, syy = 0;
        for (var i = 0; i < x.Count; i++)
        {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxy / Math.Sqrt(sxx * syy);
    }

    public static double[] SensorSeries(EngineRun run, int sensor) =>
        Enumerable.Range(0, run.Length).Select(r => (double)run.Sensor(r, sensor)).ToArray();
}

/// <summary>A fresh directory under the temp folder, deleted on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "repro-data-" + Guid.NewGuid().ToString("N"));

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
