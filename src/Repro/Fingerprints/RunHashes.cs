using static TorchSharp.torch;

namespace Repro;

// The hashes a training run records: under the current definition, and under xxh128 as well while
// TensorHashKinds.RecordLegacyHashes is on (the kind committed baselines may still use).
internal static class RunHashes
{
    static IReadOnlyList<string> Kinds => TensorHashKinds.RecordLegacyHashes
        ? [TensorHashKinds.Current, TensorHashKinds.XxHash128]
        : [TensorHashKinds.Current];

    // The initial weights' hash per kind (taken on the CPU, before the model moves to its device).
    internal static IReadOnlyDictionary<string, string> Initial(nn.Module model) =>
        Kinds.ToDictionary(kind => kind, kind => ModelFingerprint.Hash(model, kind), StringComparer.Ordinal);

    // The trained model's records and hashes under the current kind, and the legacy record when asked for.
    internal static (IReadOnlyList<TensorRecord> Tensors, string ModelHash, string OptimizerStateHash, FingerprintHashes? Legacy) Final(
        nn.Module model, optim.Optimizer optimizer, long steps, IReadOnlyDictionary<string, string> initial)
    {
        var (tensors, modelHash) = ModelFingerprint.Of(model, TensorHashKinds.Current);
        var optimizerHash = OptimizerFingerprint.Hash(optimizer, steps, TensorHashKinds.Current);
        FingerprintHashes? legacy = null;
        if (initial.TryGetValue(TensorHashKinds.XxHash128, out var initialLegacy))
        {
            var (legacyTensors, legacyModel) = ModelFingerprint.Of(model, TensorHashKinds.XxHash128);
            legacy = new FingerprintHashes(TensorHashKinds.XxHash128, initialLegacy, [.. legacyTensors.Select(t => t.Hash)], legacyModel,
                OptimizerFingerprint.Hash(optimizer, steps, TensorHashKinds.XxHash128));
        }
        return (tensors, modelHash, optimizerHash, legacy);
    }
}
