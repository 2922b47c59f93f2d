using TorchSharp;
using static TorchSharp.torch;

namespace Repro;

// LaneSum computed by torch ops on the tensors' own device: each tensor's words are copied into
// whole rows of a zeroed buffer (one chunk of rows at a time), mixed in int64 arithmetic, and summed
// per row; only the row sums (16 bytes per 1024 words) come back to the host, which adds each
// tensor's rows and takes out its padding. No float maths and no atomics, so it is exact under
// torch.use_deterministic_algorithms(true) and in any reduction order.
internal static class LaneSumDevice
{
    // 8192 rows of 1024 words: the int64 lane tensor of a chunk is 128 MiB.
    internal static int ChunkRows { get; set; } = 8192;

    readonly record struct Piece(int Tensor, long FirstRow, long Rows);

    internal static (ulong Lane0, ulong Lane1)[] Compute(IReadOnlyList<Tensor> tensors)
    {
        if (LaneSumKernel.TryCompute(tensors) is { } fused) return fused;
        var lanes = new long[tensors.Count, LaneSum.Lanes];
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var groups = Enumerable.Range(0, tensors.Count)
            .Where(i => tensors[i].NumberOfElements > 0)
            .GroupBy(i => (Device: tensors[i].device.ToString(), tensors[i].dtype));
        foreach (var group in groups)
        {
            var words = group.ToDictionary(i => i, i => TensorWords.Real(tensors[i].detach()).flatten());
            var device = tensors[group.First()].device;
            var multipliers = tensor([.. LaneSum.Columns[0], .. LaneSum.Columns[1]], [LaneSum.Lanes, 1, LaneSum.RowWidth]).to(device);
            var shifts = tensor(LaneSum.Shift.Select(s => (long)s).ToArray(), [LaneSum.Lanes, 1, 1]).to(device);
            var chunks = Chunks(group.Select(i => (i, words[i].NumberOfElements))).ToList();
            var rowTerms = RowTerms(chunks, device);
            long offset = 0;
            var sums = new List<Tensor>();
            foreach (var chunk in chunks)
            {
                var rows = chunk.Sum(p => p.Rows);
                sums.Add(ChunkSums(chunk, words, rowTerms.narrow(1, offset, rows), multipliers, shifts));
                offset += rows;
            }
            // Row sums stay on the device until every chunk is queued: one copy back and one wait per group,
            // so the device never idles between chunks.
            using var rowSums = cat(sums, 1).cpu();
            AddSums(chunks.SelectMany(c => c).ToList(), rowSums.data<long>().ToArray(), lanes);
        }
        var result = new (ulong, ulong)[tensors.Count];
        for (var i = 0; i < tensors.Count; i++)
        {
            var count = tensors[i].NumberOfElements * (TensorWords.IsComplex(tensors[i].dtype) ? 2 : 1);
            result[i] = ((ulong)unchecked(lanes[i, 0] - LaneSum.Padding(0, count)), (ulong)unchecked(lanes[i, 1] - LaneSum.Padding(1, count)));
        }
        return result;
    }

    // The row terms of every row of a group's chunks, [lanes, rows, 1], copied to the device once.
    static Tensor RowTerms(List<List<Piece>> chunks, Device device)
    {
        var pieces = chunks.SelectMany(c => c).ToList();
        var rows = pieces.Sum(p => p.Rows);
        var terms = new long[LaneSum.Lanes * rows];
        long row = 0;
        foreach (var piece in pieces)
            for (long r = 0; r < piece.Rows; r++, row++)
                for (var lane = 0; lane < LaneSum.Lanes; lane++)
                    terms[lane * rows + row] = LaneSum.RowTerm(lane, piece.FirstRow + r);
        return tensor(terms, [LaneSum.Lanes, rows, 1]).to(device);
    }

    // Lanes are the outermost dimension ([lanes, rows, 1024]), so every kernel runs over contiguous
    // rows of 1024 words and the sum reduces the innermost, contiguous dimension. Returns [lanes, rows].
    static Tensor ChunkSums(List<Piece> chunk, Dictionary<int, Tensor> words, Tensor rowTerms, Tensor multipliers, Tensor shifts)
    {
        // The chunk's temporaries (hundreds of MiB) go back to the caching allocator before the next
        // chunk; stream order makes reusing them safe while this chunk's kernels are still queued.
        using var scope = NewDisposeScope();
        var rows = chunk.Sum(p => p.Rows);
        var first = words[chunk[0].Tensor];
        var buffer = zeros([rows, LaneSum.RowWidth], dtype: first.dtype, device: first.device);
        var flat = buffer.view(-1);
        long row = 0;
        foreach (var piece in chunk)
        {
            var source = words[piece.Tensor];
            var start = piece.FirstRow * LaneSum.RowWidth;
            var count = Math.Min(piece.Rows * LaneSum.RowWidth, source.NumberOfElements - start);
            flat.narrow(0, row * LaneSum.RowWidth, count).copy_(source.narrow(0, start, count));
            row += piece.Rows;
        }
        var x = TensorWords.AsSigned(buffer).unsqueeze(0);
        var mixed = addcmul(rowTerms, x, multipliers, 1);
        mixed.bitwise_xor_(mixed.bitwise_right_shift(shifts));
        return scope.MoveToOuter(mixed.sum(-1));
    }

    // Adds each row's sums (in the order of the pieces) to its tensor's lanes.
    static void AddSums(List<Piece> pieces, long[] sums, long[,] lanes)
    {
        var rows = sums.Length / LaneSum.Lanes;
        long row = 0;
        foreach (var piece in pieces)
            for (long r = 0; r < piece.Rows; r++, row++)
                for (var lane = 0; lane < LaneSum.Lanes; lane++)
                    lanes[piece.Tensor, lane] = unchecked(lanes[piece.Tensor, lane] + sums[lane * rows + row]);
    }

    // Tensors cut at row boundaries into pieces of at most ChunkRows rows, packed into chunks.
    static IEnumerable<List<Piece>> Chunks(IEnumerable<(int Tensor, long Words)> tensors)
    {
        var chunk = new List<Piece>();
        long used = 0;
        foreach (var (index, count) in tensors)
        {
            var rows = (count + LaneSum.RowWidth - 1) / LaneSum.RowWidth;
            for (long start = 0; start < rows;)
            {
                if (used == ChunkRows)
                {
                    yield return chunk;
                    chunk = [];
                    used = 0;
                }
                var take = Math.Min(rows - start, ChunkRows - used);
                chunk.Add(new Piece(index, start, take));
                used += take;
                start += take;
            }
        }
        if (chunk.Count > 0) yield return chunk;
    }
}
