using System.IO.Hashing;
using System.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace Repro;

// The per-tensor hashes and the whole-model hash of a list of named tensors, in one pass over their
// bytes, with exactly the definitions of TensorHasher.Hash and ModelFingerprint.HashNamed.
// Device tensors of one dtype are joined on the device and copied to the host once (one transfer
// instead of one synchronous copy per tensor); the per-tensor hashes run in parallel with the
// sequential model hash.
internal static unsafe class TensorDigest
{
    // Pinned staging makes the copy itself faster but allocating pinned memory costs more than it
    // saves for a one-off fingerprint (bench: Repro.Bench hash prints both).
    internal static bool PinnedStaging { get; set; }

    internal static (IReadOnlyList<string> PerTensor, string Model) Compute(IReadOnlyList<(string Name, Tensor Tensor)> tensors)
    {
        // Spans stop at 2 GiB: beyond that, the streaming path of TensorHasher (chunked, per tensor).
        if (tensors.GroupBy(t => t.Tensor.dtype).Any(g => g.Sum(t => t.Tensor.NumberOfElements * t.Tensor.ElementSize) > int.MaxValue))
            return ([.. tensors.Select(t => TensorHasher.Hash(t.Tensor))], ModelFingerprint.HashNamedStreaming(tensors));
        using var scope = NewDisposeScope();
        var regions = HostRegions(tensors);
        var headers = tensors.Select(t => Encoding.UTF8.GetBytes(t.Tensor.dtype + ":" + string.Join("x", t.Tensor.shape) + ";")).ToArray();
        var perTensor = new string[tensors.Count];
        var model = Task.Run(() =>
        {
            var hasher = new XxHash128();
            for (var i = 0; i < tensors.Count; i++)
            {
                hasher.Append(Encoding.UTF8.GetBytes(tensors[i].Name + "="));
                hasher.Append(headers[i]);
                hasher.Append(regions[i].Span);
            }
            return TensorHasher.Hex(hasher);
        });
        Parallel.For(0, tensors.Count, i =>
        {
            var hasher = new XxHash128();
            hasher.Append(headers[i]);
            hasher.Append(regions[i].Span);
            perTensor[i] = TensorHasher.Hex(hasher);
        });
        return (perTensor, model.GetAwaiter().GetResult());
    }

    readonly record struct Region(IntPtr Address, long Length)
    {
        internal ReadOnlySpan<byte> Span => new((void*)Address, checked((int)Length));
    }

    // Host bytes of every tensor; the tensors backing them live in the caller's dispose scope.
    static Region[] HostRegions(IReadOnlyList<(string Name, Tensor Tensor)> tensors)
    {
        var regions = new Region[tensors.Count];
        var onDevice = new List<int>();
        for (var i = 0; i < tensors.Count; i++)
        {
            var t = tensors[i].Tensor.detach();
            if (t.device_type != DeviceType.CPU) { onDevice.Add(i); continue; }
            regions[i] = RegionOf(t.contiguous(), 0, t.NumberOfElements);
        }
        foreach (var group in onDevice.GroupBy(i => tensors[i].Tensor.dtype))
        {
            var members = group.ToList();
            var joined = cat(members.Select(i => tensors[i].Tensor.detach().contiguous().flatten()).ToList(), 0);
            Tensor host;
            if (PinnedStaging)
            {
                host = empty(joined.shape, dtype: joined.dtype, device: CPU).pin_memory();
                host.copy_(joined);
            }
            else
            {
                host = joined.cpu();
            }
            long offset = 0;
            foreach (var i in members)
            {
                var count = tensors[i].Tensor.NumberOfElements;
                regions[i] = RegionOf(host, offset, count);
                offset += count;
            }
        }
        return regions;
    }

    static Region RegionOf(Tensor host, long offsetElements, long count)
    {
        if (host.NumberOfElements == 0) return new Region(IntPtr.Zero, 0);
        fixed (byte* start = host.bytes)
            return new Region((IntPtr)(start + offsetElements * host.ElementSize), count * host.ElementSize);
    }
}
