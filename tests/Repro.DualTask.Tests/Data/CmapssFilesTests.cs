using System.Globalization;
using Xunit;

namespace Repro.DualTask.Tests.Data;

public class CmapssFilesTests
{
    [Fact]
    public void Writing_then_loading_gives_back_the_same_dataset()
    {
        using var dir = new TempDirectory();
        var original = SyntheticCmapss.Generate(21, TestData.Tiny with { Regimes = 6 });
        CmapssFiles.Write(dir.Path, "FD002", original);
        var loaded = CmapssFiles.Load(dir.Path, "FD002");
        Assert.Equal("FD002", loaded.Name);
        Assert.Equal(original.Train.Count, loaded.Train.Count);
        Assert.Equal(original.TestRul, loaded.TestRul);
        Assert.Equal(original.ContentHash(), loaded.ContentHash());
    }

    [Fact]
    public void Writing_the_same_dataset_twice_gives_identical_bytes()
    {
        using var a = new TempDirectory();
        using var b = new TempDirectory();
        CmapssFiles.Write(a.Path, "FD001", SyntheticCmapss.Generate(4, TestData.Tiny));
        CmapssFiles.Write(b.Path, "FD001", SyntheticCmapss.Generate(4, TestData.Tiny));
        foreach (var name in new[] { "train_FD001.txt", "test_FD001.txt", "RUL_FD001.txt" })
            Assert.Equal(File.ReadAllBytes(a.File(name)), File.ReadAllBytes(b.File(name)));
    }

    [Fact]
    public void The_loader_reads_the_nasa_layout_with_trailing_spaces_and_blank_lines()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("train_FD001.txt"), Row(1, 1, 0.5f) + " \n" + Row(1, 2, 1.5f) + "  \n\n" + Row(2, 1, 2.5f) + "\n");
        File.WriteAllText(dir.File("test_FD001.txt"), Row(1, 1, 3.25f) + " \n");
        File.WriteAllText(dir.File("RUL_FD001.txt"), "112 \n");
        var data = CmapssFiles.Load(dir.Path, "FD001");
        Assert.Equal([1, 2], data.Train.Select(r => r.Unit));
        Assert.Equal(2, data.Train[0].Length);
        Assert.Equal(1.5f, data.Train[0].Sensor(1, 21));
        Assert.Equal(-0.0007f, data.Train[0].Setting(1, 1));
        Assert.Equal(3.25f, data.Test[0].Sensor(0, 1));
        Assert.Equal([112], data.TestRul);
    }

    [Theory]
    [InlineData("train", "wrong-column-count", 3, 26)]
    [InlineData("train", "extra-column", 2, 27)]
    [InlineData("test", "non-numeric", 2, 7)]
    [InlineData("train", "empty", 1, 1)]
    [InlineData("train", "cycle-not-increasing", 3, 2)]
    [InlineData("test", "unit-reappears", 4, 1)]
    [InlineData("RUL", "too-few-rul-lines", 2, 1)]
    [InlineData("RUL", "too-many-rul-lines", 3, 1)]
    [InlineData("RUL", "non-numeric-rul", 1, 1)]
    public void A_malformed_file_is_reported_with_its_name_line_and_column(string file, string defect, int line, int column)
    {
        using var dir = new TempDirectory();
        var train = new List<string> { Row(1, 1), Row(1, 2), Row(1, 3), Row(2, 1) };
        var test = new List<string> { Row(1, 1), Row(1, 2), Row(2, 1) };
        var rul = new List<string> { "40", "17" };
        switch (defect)
        {
            case "wrong-column-count": train[2] = string.Join(' ', train[2].Split(' ')[..25]); break;
            case "extra-column": train[1] += " 9.5"; break;
            case "non-numeric": test[1] = Replace(test[1], 6, "abc"); break;
            case "empty": train.Clear(); break;
            case "cycle-not-increasing": train[2] = Row(1, 2); break;
            case "unit-reappears": test.Add(Row(1, 3)); break;
            case "too-few-rul-lines": rul.RemoveAt(1); break;
            case "too-many-rul-lines": rul.Add("3"); break;
            case "non-numeric-rul": rul[0] = "4o"; break;
        }
        File.WriteAllLines(dir.File("train_FD001.txt"), train);
        File.WriteAllLines(dir.File("test_FD001.txt"), test);
        File.WriteAllLines(dir.File("RUL_FD001.txt"), rul);

        var ex = Assert.Throws<ReproException>(() => CmapssFiles.Load(dir.Path, "FD001"));
        Assert.Contains($"{file}_FD001.txt", ex.Message);
        Assert.Contains($"line {line},", ex.Message);
        Assert.Contains($"column {column} ", ex.Message);
    }

    [Fact]
    public void The_unmodified_fixture_of_the_malformed_file_cases_loads()
    {
        using var dir = new TempDirectory();
        File.WriteAllLines(dir.File("train_FD001.txt"), [Row(1, 1), Row(1, 2), Row(1, 3), Row(2, 1)]);
        File.WriteAllLines(dir.File("test_FD001.txt"), [Row(1, 1), Row(1, 2), Row(2, 1)]);
        File.WriteAllLines(dir.File("RUL_FD001.txt"), ["40", "17"]);
        var data = CmapssFiles.Load(dir.Path, "FD001");
        Assert.Equal([3, 1], data.Train.Select(r => r.Length));
        Assert.Equal([2, 1], data.Test.Select(r => r.Length));
    }

    [Fact]
    public void A_missing_file_is_named_with_how_to_get_it()
    {
        using var dir = new TempDirectory();
        CmapssFiles.Write(dir.Path, "FD003", SyntheticCmapss.Generate(1, TestData.Tiny));
        File.Delete(dir.File("test_FD003.txt"));
        var ex = Assert.Throws<ReproException>(() => CmapssFiles.Load(dir.Path, "FD003"));
        Assert.Contains("test_FD003.txt", ex.Message);
        Assert.Contains("not found", ex.Message);
    }

    [Fact]
    public void A_subset_name_that_could_escape_the_directory_is_rejected()
    {
        using var dir = new TempDirectory();
        Assert.Throws<ReproException>(() => CmapssFiles.Load(dir.Path, "../FD001"));
    }

    static string Row(int unit, int cycle, float sensorValue = 1.25f)
    {
        var fields = new List<string> { unit.ToString(CultureInfo.InvariantCulture), cycle.ToString(CultureInfo.InvariantCulture), "-0.0007", "0.0002", "100.0" };
        for (var s = 1; s <= EngineRun.SensorCount; s++) fields.Add(sensorValue.ToString(CultureInfo.InvariantCulture));
        return string.Join(' ', fields);
    }

    static string Replace(string row, int index, string value)
    {
        var fields = row.Split(' ');
        fields[index] = value;
        return string.Join(' ', fields);
    }
}
