using static TorchSharp.torch;

namespace Repro;

// The collectives data parallelism needs, on flat contiguous tensors of one rank's device. NCCL's in
// production (NcclCommunicator), a world of threads in one process in tests (SimulatedWorld).
internal interface ICommunicator : IDisposable
{
    int Rank { get; }

    int WorldSize { get; }

    // What the fingerprint records about the transport ("nccl 2.27.3, NCCL_ALGO=Ring, NCCL_PROTO=Simple").
    string Description { get; }

    // NCCL_ALGO and NCCL_PROTO in force (null where the transport has none).
    string? Algorithm { get; }

    string? Protocol { get; }

    // Sums buffer over the ranks, in place, in the transport's own order.
    void AllReduceSum(Tensor buffer);

    // Every rank's send (n elements) into receive (WorldSize * n), in rank order.
    void AllGather(Tensor send, Tensor receive);

    // Root's buffer into every rank's, in place.
    void Broadcast(Tensor buffer, int root);
}
