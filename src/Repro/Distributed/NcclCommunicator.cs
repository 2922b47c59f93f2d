using Repro.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace Repro;

// ICommunicator over NCCL: one communicator per process (rank), every collective enqueued on c10's current
// stream of the rank's device, so it is ordered with the kernels around it and a CUDA graph captured on
// that stream records it too. Tensors must be contiguous CUDA tensors of a dtype NCCL knows.
internal sealed class NcclCommunicator : ICommunicator
{
    IntPtr _communicator;

    NcclCommunicator(IntPtr communicator, int rank, int worldSize, string version, string algorithm, string protocol)
    {
        _communicator = communicator;
        Rank = rank;
        WorldSize = worldSize;
        Algorithm = algorithm;
        Protocol = protocol;
        Description = $"nccl {version}, {NcclSettings.Algorithm}={algorithm}, {NcclSettings.Protocol}={protocol}, {NcclSettings.Nvls}=0";
    }

    public int Rank { get; }

    public int WorldSize { get; }

    public string Description { get; }

    public string? Algorithm { get; }

    public string? Protocol { get; }

    // Joins the world named by the rendezvous; blocks until every rank has joined.
    internal static NcclCommunicator Join(Rendezvous rendezvous)
    {
        if (NativeRuntime.Current is not { IsCuda: true })
            throw new ReproException("NCCL needs CUDA, but this process runs libtorch on the CPU. Train with --device cuda on a machine with a GPU per rank, or use --gpus 1.");
        var (algorithm, protocol) = NcclSettings.Apply();
        var version = Nccl.Version();
        var communicator = Nccl.CommInitRank(rendezvous.WorldSize, rendezvous.UniqueId, rendezvous.Rank);
        return new NcclCommunicator(communicator, rendezvous.Rank, rendezvous.WorldSize, version, algorithm, protocol);
    }

    public void AllReduceSum(Tensor buffer)
    {
        Validate(buffer, nameof(AllReduceSum));
        var pointer = TensorData.Pointer(buffer);
        Nccl.AllReduce(pointer, pointer, (nuint)buffer.NumberOfElements, DataType(buffer), Handle, Stream());
    }

    public void AllGather(Tensor send, Tensor receive)
    {
        Validate(send, nameof(AllGather));
        Validate(receive, nameof(AllGather));
        if (receive.NumberOfElements != send.NumberOfElements * WorldSize || receive.dtype != send.dtype)
            throw new ReproException($"All-gather of {send.NumberOfElements} {send.dtype} elements needs a receive buffer of {send.NumberOfElements * WorldSize} {send.dtype}, " +
                $"not {receive.NumberOfElements} {receive.dtype}.");
        Nccl.AllGather(TensorData.Pointer(send), TensorData.Pointer(receive), (nuint)send.NumberOfElements, DataType(send), Handle, Stream());
    }

    public void Broadcast(Tensor buffer, int root)
    {
        Validate(buffer, nameof(Broadcast));
        var pointer = TensorData.Pointer(buffer);
        Nccl.Broadcast(pointer, pointer, (nuint)buffer.NumberOfElements, DataType(buffer), root, Handle, Stream());
    }

    IntPtr Handle => _communicator != IntPtr.Zero ? _communicator : throw new ObjectDisposedException(nameof(NcclCommunicator));

    static IntPtr Stream() => CudaGraphNative.CurrentHandle();

    static void Validate(Tensor tensor, string call)
    {
        if (tensor.device_type != DeviceType.CUDA)
            throw new ReproException($"NCCL {call} needs a CUDA tensor; this one is on {tensor.device}. Move the buffer to the rank's GPU.");
        if (!tensor.is_contiguous())
            throw new ReproException($"NCCL {call} needs a contiguous tensor (a flat gradient buffer is); call .contiguous() first.");
    }

    static int DataType(Tensor tensor) => tensor.dtype switch
    {
        ScalarType.Float32 => Nccl.Float32,
        ScalarType.Float64 => Nccl.Float64,
        ScalarType.Float16 => Nccl.Float16,
        ScalarType.BFloat16 => Nccl.BFloat16,
        ScalarType.Int64 => Nccl.Int64,
        ScalarType.Int32 => Nccl.Int32,
        var other => throw new ReproException($"NCCL collectives here take float32, float64, float16, bfloat16, int32 or int64 tensors, not {other}."),
    };

    public void Dispose()
    {
        var communicator = Interlocked.Exchange(ref _communicator, IntPtr.Zero);
        if (communicator != IntPtr.Zero) Nccl.CommDestroy(communicator);
    }
}
