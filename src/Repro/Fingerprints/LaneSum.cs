using System.Buffers.Binary;
using System.IO.Hashing;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text;

namespace Repro;

// The definition of hash kind "lanesum128", the digest a device computes without copying tensors
// to the host. Integer arithmetic only, and a sum: every reduction order gives the same value, so
// CUDA, the CPU torch path and this managed code agree bit for bit.
//
// A tensor is a sequence of words in row-major order: its elements' bits as signed integers of the
// element width (1, 2, 4 or 8 bytes; a complex tensor is its real view), sign-extended to 64 bits.
// Word i sits at row r = i / 1024 and column c = i mod 1024. For each of two lanes L:
//   u = (r + 1) * A[L] + x * ((2c + 1) * B[L])      (mod 2^64)
//   lane[L] = sum over i of (u xor (u >> S[L]))     (arithmetic shift, sum mod 2^64)
// The position enters through the row and column terms, so moving a value changes the digest; the
// xor-shift makes the sum non-linear in the values. The tensor's hash is XxHash128 of its header
// ("dtype:shape;", as the xxh128 kind) followed by both lanes, little-endian.
internal static class LaneSum
{
    internal const int RowWidth = 1024;
    internal const int Lanes = 2;

    static readonly long[] RowMultiplier = [unchecked((long)0x9E3779B97F4A7C15), unchecked((long)0xC2B2AE3D27D4EB4F)];
    static readonly long[] ColumnMultiplier = [unchecked((long)0xBF58476D1CE4E5B9), unchecked((long)0x94D049BB133111EB)];
    const int Shift0 = 31, Shift1 = 29;
    internal static readonly int[] Shift = [Shift0, Shift1];

    // Per lane, the 1024 column multipliers (odd, so x -> u is a bijection for a fixed position).
    internal static readonly long[][] Columns = [.. Enumerable.Range(0, Lanes).Select(lane =>
        Enumerable.Range(0, RowWidth).Select(c => unchecked((2L * c + 1) * ColumnMultiplier[lane])).ToArray())];

    internal static long RowTerm(int lane, long row) => unchecked((row + 1) * RowMultiplier[lane]);

    internal static long Mix(int lane, long u) => u ^ (u >> Shift[lane]);

    // Tensors padded to whole rows on a device carry zero words after their last element; each adds
    // Mix(RowTerm(last row)) (x = 0), which the host takes back out.
    internal static long Padding(int lane, long words)
    {
        var used = (int)(words % RowWidth);
        if (used == 0) return 0;
        return unchecked((RowWidth - used) * Mix(lane, RowTerm(lane, words / RowWidth)));
    }

    internal static string Hash(string header, ulong lane0, ulong lane1)
    {
        Span<byte> lanes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(lanes, lane0);
        BinaryPrimitives.WriteUInt64LittleEndian(lanes[8..], lane1);
        var hasher = new XxHash128();
        hasher.Append(Encoding.UTF8.GetBytes(header));
        hasher.Append(lanes);
        return Convert.ToHexStringLower(hasher.GetCurrentHash());
    }

    // The managed definition over a tensor's bytes in row-major order (native byte order, as the
    // tensor holds them); wordSize is 1, 2, 4 or 8. firstRow > 0 digests a slice that starts at
    // that row of a larger tensor: lanes of consecutive slices add up to the tensor's lanes.
    internal static (ulong Lane0, ulong Lane1) Compute(ReadOnlySpan<byte> bytes, int wordSize, long firstRow = 0) => wordSize switch
    {
        1 => Compute(MemoryMarshal.Cast<byte, sbyte>(bytes), firstRow),
        2 => Compute(MemoryMarshal.Cast<byte, short>(bytes), firstRow),
        4 => Compute(MemoryMarshal.Cast<byte, int>(bytes), firstRow),
        8 => Compute(MemoryMarshal.Cast<byte, long>(bytes), firstRow),
        _ => throw new ArgumentOutOfRangeException(nameof(wordSize), wordSize, "Words are 1, 2, 4 or 8 bytes."),
    };

    static unsafe (ulong, ulong) Compute<T>(ReadOnlySpan<T> words, long firstRow) where T : unmanaged, IBinaryInteger<T>
    {
        var rows = (words.Length + RowWidth - 1) / RowWidth;
        if (rows == 0) return (0, 0);
        long lane0 = 0, lane1 = 0;
        fixed (T* start = words)
        {
            var address = (IntPtr)start;
            var length = words.Length;
            // Rows are independent terms of a sum: any split over threads gives the same value.
            Parallel.For(0, (rows + RowsPerTask - 1) / RowsPerTask,
                () => (0L, 0L),
                (block, _, partial) =>
                {
                    var first = block * RowsPerTask;
                    var last = Math.Min(rows, first + RowsPerTask);
                    var all = new ReadOnlySpan<T>((void*)address, length);
                    Span<long> row = stackalloc long[RowWidth];
                    var (a, b) = partial;
                    for (var r = first; r < last; r++)
                    {
                        var slice = all.Slice(r * RowWidth, Math.Min(RowWidth, length - r * RowWidth));
                        for (var c = 0; c < slice.Length; c++) row[c] = long.CreateTruncating(slice[c]);
                        var (ra, rb) = Row(row[..slice.Length], firstRow + r);
                        a = unchecked(a + ra);
                        b = unchecked(b + rb);
                    }
                    return (a, b);
                },
                partial =>
                {
                    Interlocked.Add(ref lane0, partial.Item1);
                    Interlocked.Add(ref lane1, partial.Item2);
                });
        }
        return ((ulong)lane0, (ulong)lane1);
    }

    const int RowsPerTask = 64;

    static (long, long) Row(ReadOnlySpan<long> x, long r)
    {
        var r0 = RowTerm(0, r);
        var r1 = RowTerm(1, r);
        ReadOnlySpan<long> m0 = Columns[0], m1 = Columns[1];
        long s0 = 0, s1 = 0;
        var c = 0;
        // Wrapping int64 vector arithmetic is the scalar definition lane by lane; 512-bit where the
        // CPU multiplies 64-bit integers natively (AVX-512DQ), else the portable width.
        if (Vector512.IsHardwareAccelerated && x.Length >= Vector512<long>.Count)
        {
            Vector512<long> acc0 = Vector512<long>.Zero, acc1 = Vector512<long>.Zero;
            Vector512<long> row0 = Vector512.Create(r0), row1 = Vector512.Create(r1);
            for (; c <= x.Length - Vector512<long>.Count; c += Vector512<long>.Count)
            {
                var v = Vector512.Create(x.Slice(c, Vector512<long>.Count));
                var u0 = row0 + v * Vector512.Create(m0.Slice(c, Vector512<long>.Count));
                var u1 = row1 + v * Vector512.Create(m1.Slice(c, Vector512<long>.Count));
                acc0 += u0 ^ Vector512.ShiftRightArithmetic(u0, Shift0);
                acc1 += u1 ^ Vector512.ShiftRightArithmetic(u1, Shift1);
            }
            s0 = Vector512.Sum(acc0);
            s1 = Vector512.Sum(acc1);
        }
        else if (Vector.IsHardwareAccelerated && x.Length >= Vector<long>.Count)
        {
            var acc0 = Vector<long>.Zero;
            var acc1 = Vector<long>.Zero;
            var row0 = new Vector<long>(r0);
            var row1 = new Vector<long>(r1);
            for (; c <= x.Length - Vector<long>.Count; c += Vector<long>.Count)
            {
                var v = new Vector<long>(x[c..]);
                var u0 = row0 + v * new Vector<long>(m0[c..]);
                var u1 = row1 + v * new Vector<long>(m1[c..]);
                acc0 += u0 ^ Vector.ShiftRightArithmetic(u0, Shift0);
                acc1 += u1 ^ Vector.ShiftRightArithmetic(u1, Shift1);
            }
            s0 = Vector.Sum(acc0);
            s1 = Vector.Sum(acc1);
        }
        for (; c < x.Length; c++)
        {
            s0 = unchecked(s0 + Mix(0, unchecked(r0 + x[c] * m0[c])));
            s1 = unchecked(s1 + Mix(1, unchecked(r1 + x[c] * m1[c])));
        }
        return (s0, s1);
    }
}
