using System.IO.Hashing;
using System.Text;
using static TorchSharp.torch;

namespace Repro;

internal sealed partial class TrainingSession
{
    /// <summary>A record per parameter and buffer in module order, and the whole-model hash, in one pass.</summary>
    internal static (IReadOnlyList<TensorRecord> Tensors, string ModelHash) Fingerprint(DualTaskModel model)
    {
        var buffers = model.named_buffers().Select(b => b.name).ToHashSet(StringComparer.Ordinal);
        var state = model.state_dict().Select(e => (e.Key, e.Value)).ToList();
        var (hashes, modelHash) = TensorDigest.Compute(state);
        var records = state.Select((entry, i) => new TensorRecord(
            entry.Key,
            buffers.Contains(entry.Key) ? "buffer" : "parameter",
            entry.Value.shape,
            entry.Value.dtype.ToString(),
            hashes[i]));
        return ([.. records], modelHash);
    }

    internal static string ModelHash(DualTaskModel model) => HashNamed(model.state_dict().Select(e => (e.Key, e.Value)));

    static string OptimizerHash(ReproAdamW optimizer) =>
        HashNamed(optimizer.State().Append(("steps", tensor(optimizer.Steps))));

    internal static string HashNamed(IEnumerable<(string Name, Tensor Tensor)> tensors) => TensorDigest.Compute([.. tensors]).Model;

    // The definition of the model hash, one tensor at a time: for tensors too large for one span.
    internal static string HashNamedStreaming(IEnumerable<(string Name, Tensor Tensor)> tensors)
    {
        var hasher = new XxHash128();
        foreach (var (name, value) in tensors)
        {
            hasher.Append(Encoding.UTF8.GetBytes(name + "="));
            TensorHasher.Append(hasher, value);
        }
        return TensorHasher.Hex(hasher);
    }
}
