using TorchSharp;
using static TorchSharp.torch;

namespace Repro;

// Builds the chunks: parameters that own their storage move into new buffers (one per device and
// dtype, 512-byte aligned offsets); parameters that already tile one shared storage exactly (cuDNN's
// flattened RNN weights) stay where they are as one chunk over that storage; any other parameter (a
// view into memory that something else uses) stays where it is as a loose chunk of its own.
internal static class FlatLayout
{
    const int AlignmentBytes = 512;

    readonly record struct Info(int Index, string Device, ScalarType DType, IntPtr Storage, ulong StorageBytes, long Offset, long Count, bool Contiguous);

    internal static FlatChunk[] Build(TorchSharp.Modules.Parameter[] parameters)
    {
        var infos = parameters.Select((p, i) => new Info(i, p.device.ToString(), p.dtype, TensorIdentity.StorageAddress(p), TensorIdentity.StorageBytes(p),
            p.storage_offset(), p.NumberOfElements, p.is_contiguous())).ToArray();
        var chunks = new List<(int First, FlatChunk Chunk)>();
        var owned = new List<Info>();
        foreach (var group in infos.GroupBy(i => (i.Device, i.Storage)))
        {
            var members = group.OrderBy(i => i.Offset).ToList();
            if (members.Count == 1)
            {
                var only = members[0];
                if (only.Offset == 0 && only.Contiguous && only.StorageBytes == (ulong)(only.Count * parameters[only.Index].ElementSize)) owned.Add(only);
                else chunks.Add((only.Index, Loose(parameters, only)));
            }
            else if (Tiles(members))
            {
                chunks.Add((members.Min(m => m.Index), Shared(parameters, members)));
            }
            else
            {
                chunks.AddRange(members.Select(m => (m.Index, Loose(parameters, m))));
            }
        }
        foreach (var group in owned.GroupBy(i => (i.Device, i.DType)))
            chunks.Add((group.Min(m => m.Index), Move(parameters, [.. group.OrderBy(m => m.Index)])));
        return [.. chunks.OrderBy(c => c.First).Select(c => c.Chunk)];
    }

    // Same dtype, contiguous, each starting where the previous ends: the run is one 1-D tensor.
    static bool Tiles(List<Info> sorted)
    {
        for (var k = 0; k < sorted.Count; k++)
        {
            if (!sorted[k].Contiguous || sorted[k].DType != sorted[0].DType) return false;
            if (k > 0 && sorted[k].Offset != sorted[k - 1].Offset + sorted[k - 1].Count) return false;
        }
        return true;
    }

    static FlatChunk Loose(TorchSharp.Modules.Parameter[] parameters, Info info)
    {
        var values = Alias(parameters[info.Index]);
        return new FlatChunk(values, [new FlatChunk.Member(info.Index, 0, info.Count, parameters[info.Index].shape)], parameters, loose: true);
    }

    static FlatChunk Shared(TorchSharp.Modules.Parameter[] parameters, List<Info> sorted)
    {
        var start = sorted[0].Offset;
        var total = sorted[^1].Offset + sorted[^1].Count - start;
        using var alias = Alias(parameters[sorted[0].Index]);
        var values = alias.as_strided([total], [1], start).DetachFromDisposeScope();
        var members = sorted.Select(m => new FlatChunk.Member(m.Index, m.Offset - start, m.Count, parameters[m.Index].shape)).ToList();
        return new FlatChunk(values, members, parameters, loose: false);
    }

    static FlatChunk Move(TorchSharp.Modules.Parameter[] parameters, List<Info> members)
    {
        var first = parameters[members[0].Index];
        var align = Math.Max(1, AlignmentBytes / (int)first.ElementSize);
        var offsets = new List<FlatChunk.Member>();
        long total = 0;
        foreach (var m in members)
        {
            offsets.Add(new FlatChunk.Member(m.Index, total, m.Count, parameters[m.Index].shape));
            total += (m.Count + align - 1) / align * align;
        }
        var buffer = zeros(total, dtype: first.dtype, device: first.device).DetachFromDisposeScope();
        foreach (var member in offsets)
        {
            var parameter = parameters[member.Index];
            using var view = buffer.narrow(0, member.Offset, member.Count).view(member.Shape);
            view.copy_(parameter);
            parameter.set_(view);
        }
        return new FlatChunk(buffer, offsets, parameters, loose: false);
    }

    // The same memory as a plain tensor outside autograd (set_ shares storage without making a view of
    // the leaf), so in-place element-wise maths on it needs no autograd bookkeeping.
    static Tensor Alias(TorchSharp.Modules.Parameter parameter)
    {
        var alias = empty(0, dtype: parameter.dtype, device: parameter.device).DetachFromDisposeScope();
        alias.set_(parameter);
        return alias;
    }
}
