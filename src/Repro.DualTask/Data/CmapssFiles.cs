namespace Repro.DualTask;

/// <summary>
/// Reads and writes the NASA C-MAPSS text format: <c>train_FD00x.txt</c> and <c>test_FD00x.txt</c>
/// hold whitespace-separated rows of 26 numbers (unit, cycle, setting1..3, s1..s21), rows of one unit
/// contiguous; <c>RUL_FD00x.txt</c> holds one integer per test unit.
/// </summary>
public static class CmapssFiles
{
    /// <summary>Loads one subset (e.g. "FD001") from a directory holding its three files.</summary>
    /// <exception cref="ReproException">A file is missing or malformed; the message names the file, line and column.</exception>
    public static CmapssDataset Load(string directory, string subset)
    {
        ArgumentNullException.ThrowIfNull(directory);
        CheckSubset(subset);
        var train = RunFile.Read(RequireFile(directory, subset, "train"));
        var test = RunFile.Read(RequireFile(directory, subset, "test"));
        var rulPath = RequireFile(directory, subset, "RUL");
        var rul = RulFile.Read(rulPath, test.Count, Path.GetFileName(TestFileName(directory, subset)));
        return new CmapssDataset(subset, train, test, rul);
    }

    /// <summary>
    /// Writes a dataset as <c>train_/test_/RUL_{subset}.txt</c>, creating the directory if needed.
    /// Floats are written in their shortest round-trip form, so <see cref="Load"/> gives back the
    /// same bits.
    /// </summary>
    public static void Write(string directory, string subset, CmapssDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(dataset);
        CheckSubset(subset);
        Directory.CreateDirectory(directory);
        RunFile.Write(Path.Combine(directory, $"train_{subset}.txt"), dataset.Train);
        RunFile.Write(TestFileName(directory, subset), dataset.Test);
        RulFile.Write(Path.Combine(directory, $"RUL_{subset}.txt"), dataset.TestRul);
    }

    /// <summary>Checks the subset name and that its three files exist, without reading them (config validation).</summary>
    internal static void CheckFiles(string directory, string subset)
    {
        CheckSubset(subset);
        foreach (var prefix in new[] { "train", "test", "RUL" }) RequireFile(directory, subset, prefix);
    }

    static string TestFileName(string directory, string subset) => Path.Combine(directory, $"test_{subset}.txt");

    static string RequireFile(string directory, string subset, string prefix)
    {
        var path = Path.Combine(directory, $"{prefix}_{subset}.txt");
        if (!File.Exists(path))
            throw new ReproException($"{path}: file not found. C-MAPSS subset '{subset}' needs train_{subset}.txt, test_{subset}.txt and RUL_{subset}.txt in {Path.GetFullPath(directory)}; " +
                "unpack the NASA CMAPSSData archive there, or write a synthetic set with CmapssFiles.Write.");
        return path;
    }

    static void CheckSubset(string subset)
    {
        ArgumentNullException.ThrowIfNull(subset);
        if (subset.Length == 0 || !subset.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            throw new ReproException($"Subset name '{subset}' must be non-empty ASCII letters, digits, '-' or '_' (e.g. \"FD001\"); it becomes part of the file names.");
    }
}
