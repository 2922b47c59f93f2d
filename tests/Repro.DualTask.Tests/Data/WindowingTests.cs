using Xunit;

namespace Repro.DualTask.Tests.Data;

public class WindowingTests
{
    static readonly PreprocessingOptions NoValidation = new() { ValidationFraction = 0 };

    static CmapssDataset Handmade(params int[] lengths) =>
        new("handmade", lengths.Select((n, i) => TestData.Labelled(i + 1, n)).ToArray(), [TestData.Labelled(1, 12)], [7]);

    [Fact]
    public void Stride_one_gives_cycles_minus_window_plus_one_windows_per_unit_and_one_for_a_short_unit()
    {
        var data = SyntheticCmapss.Generate(2, TestData.Tiny with { MinLife = 20, MaxLife = 70, TrainUnits = 12 });
        Assert.Contains(data.Train, r => r.Length < 30);
        var prepared = CmapssPreprocessing.Prepare(data, NoValidation, seed: 0);
        Assert.Equal(data.Train.Sum(r => Math.Max(r.Length - 30 + 1, 1)), prepared.Train.Count);
        Assert.Equal(30, prepared.Train.WindowLength);
        Assert.Equal(15, prepared.Train.Channels);
        Assert.Equal(prepared.Train.Count * 30 * 15, prepared.Train.Inputs.Length);
    }

    [Fact]
    public void Windows_are_labelled_with_the_capped_rul_and_health_class_of_their_last_cycle()
    {
        var options = NoValidation with { WindowLength = 10, RulCap = 60 };
        var prepared = CmapssPreprocessing.Prepare(Handmade(100), options, seed: 0);
        Assert.Equal(91, prepared.Train.Count);
        for (var i = 0; i < prepared.Train.Count; i++)
        {
            var rul = 100 - 10 - i; // window i ends at cycle 10 + i of a unit that fails at cycle 100
            Assert.Equal(Math.Min(rul, 60), prepared.Train.Rul[i]);
            Assert.Equal(rul > 80 ? 0 : rul >= 30 ? 1 : 2, prepared.Train.Health[i]);
        }
    }

    [Fact]
    public void A_larger_stride_keeps_the_failure_window_and_steps_back_from_it()
    {
        var options = NoValidation with { WindowLength = 10, Stride = 4 };
        var prepared = CmapssPreprocessing.Prepare(Handmade(50, 31), options, seed: 0);
        var unit1 = prepared.Train.Rul.Where((_, i) => prepared.Train.Units[i] == 1).ToArray();
        var unit2 = prepared.Train.Rul.Where((_, i) => prepared.Train.Units[i] == 2).ToArray();
        Assert.Equal((50 - 10) / 4 + 1, unit1.Length);
        Assert.Equal((31 - 10) / 4 + 1, unit2.Length);
        Assert.Equal(0, unit1[^1]);
        Assert.Equal(0, unit2[^1]);
        Assert.All(unit1.Zip(unit1.Skip(1)), p => Assert.Equal(4, p.First - p.Second));
    }

    [Fact]
    public void A_unit_shorter_than_the_window_is_padded_at_the_front_with_its_first_row()
    {
        var options = NoValidation with { WindowLength = 8 };
        var prepared = CmapssPreprocessing.Prepare(Handmade(40, 5), options, seed: 0);
        var index = Array.IndexOf(prepared.Train.Units, 2);
        Assert.Equal(index, prepared.Train.Count - 1);
        var window = prepared.Train.Inputs.AsSpan(index * 8 * 15, 8 * 15);
        var firstRow = window.Slice(3 * 15, 15).ToArray();
        for (var t = 0; t < 3; t++) Assert.Equal(firstRow, window.Slice(t * 15, 15).ToArray());
        for (var t = 4; t < 8; t++) Assert.True(window[t * 15 + 14] > window[(t - 1) * 15 + 14], "real rows follow in cycle order");
        Assert.Equal(0, prepared.Train.Rul[index]);
    }

    [Fact]
    public void Test_units_give_their_last_window_labelled_with_the_true_rul()
    {
        var data = SyntheticCmapss.Generate(6, TestData.Tiny with { TestUnits = 9 });
        var prepared = CmapssPreprocessing.Prepare(data, NoValidation, seed: 0);
        var longestTrainLife = data.Train.Max(r => r.Length);
        Assert.Equal(data.Test.Count, prepared.Test.Count);
        for (var i = 0; i < data.Test.Count; i++)
        {
            Assert.Equal(data.Test[i].Unit, prepared.Test.Units[i]);
            Assert.Equal(Math.Min(data.TestRul[i], 125), prepared.Test.Rul[i]);
            Assert.Equal((long)RulLabels.HealthClass(data.TestRul[i]), prepared.Test.Health[i]);
            var lastCycleChannel = prepared.Test.Inputs[((i + 1) * 30 - 1) * 15 + 14];
            Assert.Equal((float)data.Test[i].Length / longestTrainLife, lastCycleChannel, 1e-6f);
        }
    }

    [Fact]
    public void The_validation_split_holds_out_whole_units_chosen_by_the_seed()
    {
        var data = SyntheticCmapss.Generate(6, TestData.Tiny with { TrainUnits = 20, MinLife = 35, MaxLife = 45 });
        var options = new PreprocessingOptions { ValidationFraction = 0.2 };
        var a = CmapssPreprocessing.Prepare(data, options, seed: 1);
        var again = CmapssPreprocessing.Prepare(data, options, seed: 1);
        var other = CmapssPreprocessing.Prepare(data, options, seed: 2);
        var trainUnits = a.Train.Units.Distinct().ToArray();
        var validationUnits = a.Validation.Units.Distinct().ToArray();
        Assert.Equal(4, validationUnits.Length);
        Assert.Empty(trainUnits.Intersect(validationUnits));
        Assert.Equal(Enumerable.Range(1, 20), trainUnits.Concat(validationUnits).Order());
        Assert.Equal(a.ContentHash(), again.ContentHash());
        Assert.NotEqual(validationUnits, other.Validation.Units.Distinct().ToArray());
    }

    [Fact]
    public void Changing_one_value_changes_the_content_hash()
    {
        var set = CmapssPreprocessing.Prepare(SyntheticCmapss.Generate(6, TestData.Tiny), NoValidation, seed: 0).Train;
        var original = set.ContentHash();
        Assert.Equal(32, original.Length);

        set.Inputs[set.Inputs.Length / 2] += 1e-3f;
        Assert.NotEqual(original, set.ContentHash());
        set.Inputs[set.Inputs.Length / 2] -= 1e-3f;
        Assert.Equal(original, set.ContentHash());

        set.Health[3] = (set.Health[3] + 1) % 3;
        Assert.NotEqual(original, set.ContentHash());
    }

    [Fact]
    public void Bad_preprocessing_options_name_the_setting()
    {
        var data = Handmade(40);
        var ex = Assert.Throws<ReproException>(() => CmapssPreprocessing.Prepare(data, new PreprocessingOptions { WindowLength = 0 }, 0));
        Assert.Contains("WindowLength", ex.Message);
        ex = Assert.Throws<ReproException>(() => CmapssPreprocessing.Prepare(data, new PreprocessingOptions(), 0));
        Assert.Contains("ValidationFraction", ex.Message);
    }
}
