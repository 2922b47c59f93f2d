namespace Repro;

internal static partial class FingerprintComparer
{
    sealed record TensorComparison(string Kind, FingerprintHashes? CurrentHashes, IReadOnlyList<string> Moved, bool Differ, bool InitialWeightsChanged, string? NameDifference);

    // Tensor hashes compare under the baseline's definition: a run records its hashes under the
    // current one and, while older baselines exist, under xxh128 too.
    static TensorComparison CompareTensors(TrainingFingerprint expected, TrainingFingerprint current)
    {
        var expectedNames = expected.Tensors.Select(t => t.Name).ToList();
        var currentNames = current.Tensors.Select(t => t.Name).ToList();
        var names = expectedNames.SequenceEqual(currentNames, StringComparer.Ordinal)
            ? null
            : $"the model's tensors differ (baseline {expectedNames.Count}, this run {currentNames.Count}; first difference: {FirstNameDifference(expectedNames, currentNames)})";
        var kind = expected.EffectiveHashKind;
        var expectedHashes = expected.HashesIn(kind)!;
        var currentHashes = current.HashesIn(kind);
        if (currentHashes is null) return new TensorComparison(kind, null, [], true, false, names);
        var currentByName = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < current.Tensors.Count; i++) currentByName.TryAdd(current.Tensors[i].Name, currentHashes.Tensors[i]);
        var moved = expected.Tensors
            .Select((t, i) => (t.Name, Hash: expectedHashes.Tensors[i]))
            .Where(t => !currentByName.TryGetValue(t.Name, out var c) || c != t.Hash)
            .Select(t => t.Name)
            .ToList();
        var differ = moved.Count > 0 || expectedHashes.ModelHash != currentHashes.ModelHash || expectedHashes.OptimizerStateHash != currentHashes.OptimizerStateHash;
        return new TensorComparison(kind, currentHashes, moved, differ, expectedHashes.InitialModelHash != currentHashes.InitialModelHash, names);
    }
}
