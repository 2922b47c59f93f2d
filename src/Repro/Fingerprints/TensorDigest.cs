using System.IO.Hashing;
using System.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace Repro;

// The per-tensor hashes and the whole-model hash of a list of named tensors under one hash kind.
// xxh128 (TensorHasher.Hash and ModelFingerprint.HashNamedStreaming) in one pass over their bytes:
// device tensors of one dtype are joined on the device and copied to the host once (one transfer
// instead of one synchronous copy per tensor); the per-tensor hashes run in parallel with the
// sequential model hash. lanesum128 (LaneSum): device tensors digested on their device, CPU tensors
// in managed code; the model hash chains names and per-tensor digests.
internal static unsafe class TensorDigest
{
    internal static (IReadOnlyList<string> PerTensor, string Model) Compute(IReadOnlyList<(string Name, Tensor Tensor)> tensors, string kind) =>
        TensorHashKinds.Validate(kind) == TensorHashKinds.XxHash128 ? Compute(tensors) : ComputeLaneSum(tensors);

    static (IReadOnlyList<string> PerTensor, string Model) ComputeLaneSum(IReadOnlyList<(string Name, Tensor Tensor)> tensors)
    {
        var lanes = new (ulong, ulong)[tensors.Count];
        var onDevice = Enumerable.Range(0, tensors.Count).Where(i => tensors[i].Tensor.device_type != DeviceType.CPU).ToList();
        if (onDevice.Count > 0)
        {
            var digests = LaneSumDevice.Compute([.. onDevice.Select(i => tensors[i].Tensor)]);
            for (var j = 0; j < onDevice.Count; j++) lanes[onDevice[j]] = digests[j];
        }
        for (var i = 0; i < tensors.Count; i++)
            if (tensors[i].Tensor.device_type == DeviceType.CPU) lanes[i] = HostLanes(tensors[i].Tensor);
        var perTensor = new string[tensors.Count];
        var model = new XxHash128();
        for (var i = 0; i < tensors.Count; i++)
        {
            perTensor[i] = LaneSum.Hash(Header(tensors[i].Tensor), lanes[i].Item1, lanes[i].Item2);
            model.Append(Encoding.UTF8.GetBytes(tensors[i].Name + "="));
            model.Append(Convert.FromHexString(perTensor[i]));
        }
        return (perTensor, TensorHasher.Hex(model));
    }

    internal static string Header(Tensor tensor) => tensor.dtype + ":" + string.Join("x", tensor.shape) + ";";

    // The managed definition over a CPU tensor's words, in slices of whole rows below 2 GiB.
    static (ulong, ulong) HostLanes(Tensor tensor)
    {
        using var scope = NewDisposeScope();
        var words = TensorWords.Real(tensor.detach()).contiguous().flatten();
        var wordSize = TensorWords.WordSize(tensor.dtype);
        const long sliceWords = 1L << 26;
        ulong lane0 = 0, lane1 = 0;
        for (long start = 0; start < words.NumberOfElements; start += sliceWords)
        {
            var (a, b) = LaneSum.Compute(words.narrow(0, start, Math.Min(sliceWords, words.NumberOfElements - start)).bytes, wordSize, start / LaneSum.RowWidth);
            lane0 = unchecked(lane0 + a);
            lane1 = unchecked(lane1 + b);
        }
        return (lane0, lane1);
    }

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
