using System.IO.Hashing;
using System.Text;
using static TorchSharp.torch;

namespace Repro.Advanced;

/// <summary>Hashes of any module's parameters and buffers, in module (state_dict) order.</summary>
public static class ModelFingerprint
{
    /// <summary>
    /// A record per parameter and buffer in module order, and the whole-model hash, in one pass, under
    /// <paramref name="kind"/> (<see cref="TensorHashKinds"/>; the current definition by default).
    /// </summary>
    public static (IReadOnlyList<TensorRecord> Tensors, string ModelHash) Of(nn.Module model, string kind = TensorHashKinds.Current)
    {
        ArgumentNullException.ThrowIfNull(model);
        var buffers = model.named_buffers().Select(b => b.name).ToHashSet(StringComparer.Ordinal);
        var state = model.state_dict().Select(e => (e.Key, e.Value)).ToList();
        var (hashes, modelHash) = TensorDigest.Compute(state, kind);
        var records = state.Select((entry, i) => new TensorRecord(
            entry.Key,
            buffers.Contains(entry.Key) ? "buffer" : "parameter",
            entry.Value.shape,
            entry.Value.dtype.ToString(),
            hashes[i]));
        return ([.. records], modelHash);
    }

    /// <summary>The whole-model hash alone: every parameter and buffer, by name, in module order.</summary>
    public static string Hash(nn.Module model, string kind = TensorHashKinds.Current)
    {
        ArgumentNullException.ThrowIfNull(model);
        return HashNamed(model.state_dict().Select(e => (e.Key, e.Value)), kind);
    }

    /// <summary>The model-hash definition over any named tensors (optimizer state, EMA weights, exports).</summary>
    public static string HashNamed(IEnumerable<(string Name, Tensor Tensor)> tensors, string kind = TensorHashKinds.Current) =>
        TensorDigest.Compute([.. tensors], kind).Model;

    // The same definition one tensor at a time: for tensors too large for one span.
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
