using System.IO.Hashing;
using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace Repro.Tests.Support;

// A training small enough for a unit test but with every source of nondeterminism a real one has:
// seeded weight init, generated data, dropout, matmuls and reductions in backward.
internal static class TinyTraining
{
    internal static string TrainAndHash(Device device, long seed = 42, int steps = 20)
    {
        using var guard = TrainingGuard.Enter($"TinyTraining on {device.type}");
        using var scope = NewDisposeScope();
        Repro.Advanced.Determinism.Reseed(seed);
        var model = nn.Sequential(
            ("fc1", nn.Linear(16, 32)), ("relu", nn.ReLU()), ("drop", nn.Dropout(0.1)), ("fc2", nn.Linear(32, 1))).to(device);
        var optimizer = optim.SGD(model.parameters(), 0.05);
        var (inputs, targets) = Data(seed, device);
        model.train();
        for (var step = 0; step < steps; step++)
        {
            optimizer.zero_grad();
            using var loss = nn.functional.mse_loss(model.forward(inputs), targets);
            loss.backward();
            optimizer.step();
        }
        return Hash(model.parameters());
    }

    static (Tensor Inputs, Tensor Targets) Data(long seed, Device device)
    {
        var random = RandomStreams.Create(seed, "tiny-training-data");
        var x = new float[64 * 16];
        for (var i = 0; i < x.Length; i++) x[i] = (float)random.NextGaussian();
        var inputs = tensor(x, [64, 16]).to(device);
        var targets = inputs.sum(1, keepdim: true).sin().to(device);
        return (inputs, targets);
    }

    // XxHash128 over the raw float bytes, copied to the CPU: any single-bit difference changes it.
    internal static string Hash(IEnumerable<Tensor> parameters)
    {
        var hash = new XxHash128();
        foreach (var p in parameters)
        {
            using var cpu = p.detach().cpu().contiguous();
            hash.Append(MemoryMarshal.AsBytes(cpu.data<float>().ToArray().AsSpan()));
        }
        return Convert.ToHexString(hash.GetCurrentHash());
    }
}
