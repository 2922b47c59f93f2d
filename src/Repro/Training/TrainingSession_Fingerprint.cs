using System.IO.Hashing;
using System.Text;
using static TorchSharp.torch;

namespace Repro;

internal sealed partial class TrainingSession
{
    internal static IReadOnlyList<TensorRecord> TensorRecords(DualTaskModel model)
    {
        var buffers = model.named_buffers().Select(b => b.name).ToHashSet(StringComparer.Ordinal);
        return [.. model.state_dict().Select(entry => new TensorRecord(
            entry.Key,
            buffers.Contains(entry.Key) ? "buffer" : "parameter",
            entry.Value.shape,
            entry.Value.dtype.ToString(),
            TensorHasher.Hash(entry.Value)))];
    }

    internal static string ModelHash(DualTaskModel model) => HashNamed(model.state_dict().Select(e => (e.Key, e.Value)));

    static string OptimizerHash(ReproAdamW optimizer) =>
        HashNamed(optimizer.State().Append(("steps", tensor(optimizer.Steps))));

    internal static string HashNamed(IEnumerable<(string Name, Tensor Tensor)> tensors)
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
