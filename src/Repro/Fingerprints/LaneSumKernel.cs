using System.Runtime.InteropServices;
using Repro.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace Repro;

// lanesum128 of CUDA tensors in one pass: a kernel compiled at first use with NVRTC reads each word
// of a tensor once, where it lives, and only the two lanes per tensor come back. The torch-op path
// reads and writes int64 temporaries about 30 times the tensor's size, which held it near 35 GB/s. Integer arithmetic and a sum: the kernel gives the definition's digest in any
// order of blocks. Where NVRTC, the driver API or a GPU architecture is missing it is not used, and
// the torch-op path gives the same digest (why is in Unavailable).
internal static unsafe class LaneSumKernel
{
    const int Threads = 256;

    // One kernel per word width. Each thread strides over the tensor's words, summing their mixed lanes
    // (the row enters only through its row term), a block adds its threads' sums, and one thread adds the
    // block's into the tensor's two totals with integer atomics: a sum mod 2^64, the same in any order.
    const string Source = """
        typedef unsigned long long u64;
        typedef long long i64;
        template <typename T>
        __device__ void lanesum(const T* __restrict__ words, i64 count, u64* __restrict__ out, i64 tensors, i64 slot)
        {
            u64 sum0 = 0, sum1 = 0;
            for (i64 index = (i64)blockIdx.x * blockDim.x + threadIdx.x; index < count; index += (i64)gridDim.x * blockDim.x)
            {
                const u64 row = (u64)(index >> 10);
                const u64 odd = 2ull * (u64)(index & 1023) + 1ull;
                const u64 x = (u64)(i64)words[index];
                const u64 u0 = (row + 1ull) * 0x9E3779B97F4A7C15ull + x * (odd * 0xBF58476D1CE4E5B9ull);
                const u64 u1 = (row + 1ull) * 0xC2B2AE3D27D4EB4Full + x * (odd * 0x94D049BB133111EBull);
                sum0 += u0 ^ (u64)((i64)u0 >> 31);
                sum1 += u1 ^ (u64)((i64)u1 >> 29);
            }
            for (int offset = 16; offset > 0; offset >>= 1)
            {
                sum0 += __shfl_down_sync(0xffffffffu, sum0, offset);
                sum1 += __shfl_down_sync(0xffffffffu, sum1, offset);
            }
            __shared__ u64 warp0[32], warp1[32];
            const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, warps = blockDim.x >> 5;
            if (lane == 0) { warp0[warp] = sum0; warp1[warp] = sum1; }
            __syncthreads();
            if (warp != 0) return;
            sum0 = lane < warps ? warp0[lane] : 0ull;
            sum1 = lane < warps ? warp1[lane] : 0ull;
            for (int offset = 16; offset > 0; offset >>= 1)
            {
                sum0 += __shfl_down_sync(0xffffffffu, sum0, offset);
                sum1 += __shfl_down_sync(0xffffffffu, sum1, offset);
            }
            if (lane == 0) { atomicAdd(&out[slot], sum0); atomicAdd(&out[tensors + slot], sum1); }
        }
        extern "C" __global__ void lanesum8(const signed char* w, i64 n, u64* o, i64 t, i64 s) { lanesum(w, n, o, t, s); }
        extern "C" __global__ void lanesum16(const short* w, i64 n, u64* o, i64 t, i64 s) { lanesum(w, n, o, t, s); }
        extern "C" __global__ void lanesum32(const int* w, i64 n, u64* o, i64 t, i64 s) { lanesum(w, n, o, t, s); }
        extern "C" __global__ void lanesum64(const i64* w, i64 n, u64* o, i64 t, i64 s) { lanesum(w, n, o, t, s); }
        """;

    // At least 4 words per thread, and at most this many blocks (a few waves of an H100/H200) per tensor.
    const long MaxBlocks = 4096;

    static readonly object Gate = new();
    static IntPtr[]? _kernels;
    static long _device = -1;

    /// <summary>False makes LaneSumDevice use its torch ops (the bench times both; the tests compare them).</summary>
    internal static bool Enabled { get; set; } = true;

    /// <summary>Why the kernel is not used in this process, once a CUDA digest has tried it; null while it is.</summary>
    internal static string? Unavailable { get; private set; }

    /// <summary>What compiling and loading the kernel took in this process (once, at the first CUDA digest).</summary>
    internal static TimeSpan? CompileTime { get; private set; }

    /// <summary>Each tensor's lanes, or null when the kernel cannot serve these tensors (not all on one CUDA device, or unavailable).</summary>
    internal static (ulong Lane0, ulong Lane1)[]? TryCompute(IReadOnlyList<Tensor> tensors)
    {
        if (!Enabled || tensors.Count == 0 || tensors.Any(t => t.device_type != DeviceType.CUDA)) return null;
        var device = tensors[0].device_index;
        if (tensors.Any(t => t.device_index != device)) return null;
        var kernels = Kernels(device);
        if (kernels is null) return null;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var words = tensors.Select(t => TensorWords.Real(t.detach()).contiguous()).ToArray();
        var output = zeros([LaneSum.Lanes, words.Length], dtype: ScalarType.Int64, device: tensors[0].device);
        var stream = CudaGraphNative.CurrentHandle();
        // The kernel's arguments, by address (cuLaunchKernel copies them at the call).
        IntPtr data = IntPtr.Zero, outputData = DataPointer(output);
        long count = 0, slots = words.Length, slot = 0;
        void** arguments = stackalloc void*[] { &data, &count, &outputData, &slots, &slot };
        for (slot = 0; slot < words.Length; slot++)
        {
            count = words[slot].NumberOfElements;
            if (count == 0) continue;
            data = DataPointer(words[slot]);
            var kernel = kernels[TensorWords.WordSize(words[slot].dtype) switch { 1 => 0, 2 => 1, 4 => 2, _ => 3 }];
            var blocks = Math.Min(MaxBlocks, (count + 4 * Threads - 1) / (4 * Threads));
            CudaDriver.Launch(kernel, (uint)blocks, Threads, stream, arguments);
        }
        var lanes = output.cpu().data<long>().ToArray();
        var result = new (ulong, ulong)[words.Length];
        for (var i = 0; i < words.Length; i++) result[i] = ((ulong)lanes[i], (ulong)lanes[words.Length + i]);
        return result;
    }

    // Compiled and loaded once per process for the first device asked; any failure is remembered and
    // the torch-op path serves from then on.
    static IntPtr[]? Kernels(long device)
    {
        lock (Gate)
        {
            if (_kernels is not null) return device == _device ? _kernels : null;
            if (Unavailable is not null) return null;
            try
            {
                var clock = System.Diagnostics.Stopwatch.StartNew();
                var (major, minor) = CudaDriver.CurrentComputeCapability();
                var cubin = Nvrtc.CompileCubin(Source, "lanesum128.cu", major, minor);
                _kernels = CudaDriver.Load(cubin, "lanesum8", "lanesum16", "lanesum32", "lanesum64");
                _device = device;
                CompileTime = clock.Elapsed;
                return _kernels;
            }
            catch (Exception e) when (e is ReproException or DllNotFoundException or EntryPointNotFoundException)
            {
                Unavailable = e.Message;
                return null;
            }
        }
    }

    static IntPtr DataPointer(Tensor tensor) => TensorData.Pointer(tensor);
}
