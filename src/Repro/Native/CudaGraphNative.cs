using System.Runtime.InteropServices;

namespace Repro.Native;

// TorchSharp 0.107 has no CUDA graphs and no streams. libtorch_cuda.so exports at::cuda::CUDAGraph
// and libc10_cuda.so the stream pool and the thread's current stream: the calls PyTorch's own
// torch.cuda.graph is made of. Reached like ATenContext (mangled names on the libraries already
// loaded, an over-allocated object, `this` as the first argument).
//
// A C++ exception thrown through these pointers ends the process (it cannot cross into .NET), so
// callers keep every precondition libtorch TORCH_CHECKs: capture on a non-default stream, replay only
// after a capture that ended, end a capture only when nothing inside it failed.
internal static unsafe class CudaGraphNative
{
    const string TorchCuda = "libtorch_cuda.so";
    const string C10Cuda = "libc10_cuda.so";

    // CUDAGraph(bool keep_graph); ~CUDAGraph(); capture_begin(std::pair<ull, ull> pool, cudaStreamCaptureMode);
    // capture_end(); replay().
    const string Construct = "_ZN2at4cuda9CUDAGraphC1Eb";
    const string Destruct = "_ZN2at4cuda9CUDAGraphD1Ev";
    const string CaptureBegin = "_ZN2at4cuda9CUDAGraph13capture_beginESt4pairIyyE21cudaStreamCaptureMode";
    const string CaptureEnd = "_ZN2at4cuda9CUDAGraph11capture_endEv";
    const string Replay = "_ZN2at4cuda9CUDAGraph6replayEv";
    // CUDAStream getStreamFromPool(bool isHighPriority, DeviceIndex); CUDAStream getCurrentCUDAStream(DeviceIndex);
    // void setCurrentCUDAStream(CUDAStream); cudaStream_t CUDAStream::stream() const.
    const string StreamFromPool = "_ZN3c104cuda17getStreamFromPoolEba";
    const string CurrentStream = "_ZN3c104cuda20getCurrentCUDAStreamEa";
    const string SetCurrentStream = "_ZN3c104cuda20setCurrentCUDAStreamENS0_10CUDAStreamE";
    const string StreamHandle = "_ZNK3c104cuda10CUDAStream6streamEv";

    // sizeof(at::cuda::CUDAGraph) is a few hundred bytes in PyTorch 2.x (handles, flags, a stream, a
    // mempool id, a map of generator states); the object gets far more, so a newer layout still fits.
    const int GraphBytes = 16 * 1024;
    // cudaStreamCaptureModeGlobal: what torch.cuda.graph uses by default.
    const int CaptureModeGlobal = 0;

    static IntPtr _torchCuda, _c10Cuda;

    /// <summary>c10::cuda::CUDAStream by value: c10::Stream {Device {int8 type, int8 index}, int64 id}, 16 bytes
    /// and trivially copyable, so the SysV ABI passes and returns it in two integer registers.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal readonly struct Stream
    {
        readonly long _device;
        readonly long _id;
    }

    internal static IntPtr NewGraph()
    {
        var construct = (delegate* unmanaged<IntPtr, byte, void>)Export(TorchCuda, Construct);
        var graph = (IntPtr)NativeMemory.AllocZeroed(GraphBytes);
        construct(graph, 0);
        return graph;
    }

    internal static void DeleteGraph(IntPtr graph)
    {
        ((delegate* unmanaged<IntPtr, void>)Export(TorchCuda, Destruct))(graph);
        NativeMemory.Free((void*)graph);
    }

    // pool {0, 0}: a private memory pool of the graph's own.
    internal static void BeginCapture(IntPtr graph) =>
        ((delegate* unmanaged<IntPtr, ulong, ulong, int, void>)Export(TorchCuda, CaptureBegin))(graph, 0, 0, CaptureModeGlobal);

    internal static void EndCapture(IntPtr graph) => ((delegate* unmanaged<IntPtr, void>)Export(TorchCuda, CaptureEnd))(graph);

    internal static void ReplayGraph(IntPtr graph) => ((delegate* unmanaged<IntPtr, void>)Export(TorchCuda, Replay))(graph);

    internal static Stream PoolStream() => ((delegate* unmanaged<byte, sbyte, Stream>)Export(C10Cuda, StreamFromPool))(0, -1);

    internal static Stream Current() => ((delegate* unmanaged<sbyte, Stream>)Export(C10Cuda, CurrentStream))(-1);

    internal static void SetCurrent(Stream stream) => ((delegate* unmanaged<Stream, void>)Export(C10Cuda, SetCurrentStream))(stream);

    /// <summary>The cudaStream_t of the thread's current stream, for launches through the driver API.</summary>
    internal static IntPtr CurrentHandle()
    {
        var stream = Current();
        return ((delegate* unmanaged<Stream*, IntPtr>)Export(C10Cuda, StreamHandle))(&stream);
    }

    /// <summary>Every symbol the capture needs, resolved before anything is captured: a libtorch without one
    /// is an error that names it, not a crash half-way through a capture.</summary>
    internal static void EnsureAvailable()
    {
        foreach (var name in new[] { Construct, Destruct, CaptureBegin, CaptureEnd, Replay }) Export(TorchCuda, name);
        foreach (var name in new[] { StreamFromPool, CurrentStream, SetCurrentStream }) Export(C10Cuda, name);
    }

    static IntPtr Export(string library, string name)
    {
        ref var handle = ref library == TorchCuda ? ref _torchCuda : ref _c10Cuda;
        if (handle == IntPtr.Zero)
        {
            if (NativeRuntime.Current is not { IsCuda: true })
                throw new ReproException("CUDA graph capture needs CUDA, but this process runs libtorch on the CPU. " +
                    "Request CUDA (REPRO_DEVICE=cuda or DeterminismOptions.Device) before anything loads libtorch, or capture nothing (StepCapture.Eager).");
            handle = LibC.FindLoaded(library);
            if (handle == IntPtr.Zero)
                throw new ReproException($"{library} is not loaded in this process, so CUDA graphs cannot be captured. Run on a CUDA libtorch (see README, 'Running on a CUDA machine'), " +
                    "or set REPRO_STEP_CAPTURE=eager.");
        }
        if (NativeLibrary.TryGetExport(handle, name, out var address)) return address;
        throw new ReproException($"The loaded {LoadedLibraries.Find(library) ?? library} does not export {name}, so CUDA graphs cannot be captured with it. " +
            "This libtorch is older or newer than the 2.x series Repro was built against; set REPRO_STEP_CAPTURE=eager to train without graphs.");
    }
}
