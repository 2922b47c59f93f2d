using static TorchSharp.torch;

namespace Repro;

// A world of one: what a data-parallel check trains through on one device without NCCL (no --gpus, or
// --gpus 1). Every collective of one rank is the identity, so the check's bits are those of any world
// size in the world-size-invariant mode.
internal sealed class SingleRank : ICommunicator
{
    public int Rank => 0;

    public int WorldSize => 1;

    public string Description => "single process";

    public string? Algorithm => null;

    public string? Protocol => null;

    public void AllReduceSum(Tensor buffer) { }

    public void AllGather(Tensor send, Tensor receive)
    {
        using var noGrad = no_grad();
        using var flat = receive.view(-1);
        using var source = send.reshape(-1);
        flat.copy_(source);
    }

    public void Broadcast(Tensor buffer, int root)
    {
        if (root != 0) throw new ReproException($"Broadcast root {root} is outside a world of 1.");
    }

    public void Dispose() { }
}
