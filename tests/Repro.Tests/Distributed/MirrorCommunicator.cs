using static TorchSharp.torch;

namespace Repro.Tests.Distributed;

// One rank of a larger world in a single thread, for the harness's own path: every other rank is taken to
// hold what this one holds (all-gather repeats its buffer, all-reduce multiplies by the world size). Its
// numbers are not a real world's; what it shows is what the harness does as rank r of N.
internal sealed class MirrorCommunicator(int rank, int worldSize) : ICommunicator
{
    public int Rank => rank;

    public int WorldSize => worldSize;

    public string Description => $"mirror (rank {rank} of {worldSize})";

    public string? Algorithm => "Ring";

    public string? Protocol => "Simple";

    public int Gathers { get; private set; }

    public void AllReduceSum(Tensor buffer)
    {
        using var noGrad = no_grad();
        buffer.mul_(worldSize);
    }

    public void AllGather(Tensor send, Tensor receive)
    {
        Gathers++;
        using var noGrad = no_grad();
        using var flat = receive.view(worldSize, -1);
        using var source = send.reshape(1, -1);
        flat.copy_(source.expand(worldSize, -1));
    }

    public void Broadcast(Tensor buffer, int root) { }

    public void Dispose() { }
}
