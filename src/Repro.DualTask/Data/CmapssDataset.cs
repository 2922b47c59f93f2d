namespace Repro.DualTask;

/// <summary>
/// A C-MAPSS subset: run-to-failure training units, truncated test units and the true RUL of each
/// test unit at its last recorded cycle (the contents of <c>RUL_FD00x.txt</c>).
/// </summary>
/// <remarks>
/// A class rather than a record: record equality would compare the lists by reference and report
/// two identical datasets as different. Compare <see cref="ContentHash"/> instead.
/// </remarks>
public sealed class CmapssDataset
{
    /// <summary>Validates that units are in increasing id order and that each test unit has one RUL.</summary>
    public CmapssDataset(string name, IReadOnlyList<EngineRun> train, IReadOnlyList<EngineRun> test, IReadOnlyList<int> testRul)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(testRul);
        CheckUnitOrder(name, "training", train);
        CheckUnitOrder(name, "test", test);
        if (testRul.Count != test.Count)
            throw new ReproException($"Dataset '{name}' has {test.Count} test units but {testRul.Count} RUL values; give exactly one RUL per test unit, in unit order.");
        for (var i = 0; i < testRul.Count; i++)
        {
            if (testRul[i] < 0)
                throw new ReproException($"Dataset '{name}': RUL {testRul[i]} of test unit {test[i].Unit} is negative; RUL counts the cycles left until failure.");
        }
        Name = name;
        Train = train.ToArray();
        Test = test.ToArray();
        TestRul = testRul.ToArray();
    }

    /// <summary>A label such as "FD001"; not part of <see cref="ContentHash"/>.</summary>
    public string Name { get; }

    /// <summary>Run-to-failure units: the last row of each is the failure cycle (RUL 0).</summary>
    public IReadOnlyList<EngineRun> Train { get; }

    /// <summary>Units truncated some time before failure.</summary>
    public IReadOnlyList<EngineRun> Test { get; }

    /// <summary>True RUL of each test unit at its last row, in the order of <see cref="Test"/>.</summary>
    public IReadOnlyList<int> TestRul { get; }

    /// <summary>Hex XxHash128 of every unit id, cycle, value and RUL; equal content gives an equal hash.</summary>
    public string ContentHash()
    {
        var hasher = new ContentHasher();
        hasher.Add(Train.Count);
        foreach (var run in Train) run.AppendTo(hasher);
        hasher.Add(Test.Count);
        foreach (var run in Test) run.AppendTo(hasher);
        hasher.Add(TestRul.ToArray());
        return hasher.Finish();
    }

    static void CheckUnitOrder(string name, string part, IReadOnlyList<EngineRun> runs)
    {
        for (var i = 1; i < runs.Count; i++)
        {
            if (runs[i].Unit <= runs[i - 1].Unit)
                throw new ReproException($"Dataset '{name}': {part} unit {runs[i].Unit} follows unit {runs[i - 1].Unit}; list units in increasing id order, each id once.");
        }
    }
}
