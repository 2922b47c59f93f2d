using Repro.Xunit;
using Xunit;
using static TorchSharp.torch;

namespace Repro.Tests.Checkpoints;

// Draw, save, draw, restore, draw: the draw after the restore repeats the one after the save, bit for bit.
[Collection(ReproCollection.Name)]
public sealed class GeneratorStateTests
{
    [CpuFact(DisplayName = "Generators: the CPU generator state restores to the same next draws")]
    public void Cpu_generator_round_trip() => AssertRoundTrip(CPU, cuda: false);

    [GpuFact(DisplayName = "Generators: the CUDA generator state (libtorch exports) restores to the same next draws")]
    public void Cuda_generator_round_trip() => AssertRoundTrip(CUDA, cuda: true);

    [GpuFact(DisplayName = "Generators: the CUDA generator reads back the seed it was given, and its offset moves with every draw")]
    public void Cuda_generator_reads_seed_and_offset()
    {
        using var guard = TrainingGuard.Enter(nameof(Cuda_generator_reads_seed_and_offset));
        Repro.Advanced.Determinism.Reseed(1234);
        var start = CudaGeneratorState.Capture();
        Assert.Equal(1234UL, start.Seed);
        Assert.Equal(0UL, start.Offset);
        using (rand(1000, device: CUDA)) { }
        var after = CudaGeneratorState.Capture();
        Assert.Equal(1234UL, after.Seed);
        Assert.True(after.Offset > 0 && after.Offset % 4 == 0, $"offset {after.Offset}");
        // A restore to another seed takes effect: the next draws are those of that seed.
        new CudaGeneratorState(99, 0).Restore();
        using var restored = rand(8, device: CUDA);
        Repro.Advanced.Determinism.Reseed(99);
        using var seeded = rand(8, device: CUDA);
        Assert.True(SameBits(restored, seeded));
    }

    static void AssertRoundTrip(Device device, bool cuda)
    {
        using var guard = TrainingGuard.Enter(nameof(AssertRoundTrip));
        Repro.Advanced.Determinism.Reseed(7);
        using var first = rand(1000, device: device);
        var saved = GeneratorState.Capture(cuda);
        using var second = rand(1000, device: device);
        using var dropout = nn.functional.dropout(ones(1000, device: device), 0.5);
        saved.Restore();
        using var again = rand(1000, device: device);
        using var dropoutAgain = nn.functional.dropout(ones(1000, device: device), 0.5);
        Assert.False(SameBits(first, second), "two draws in a row were equal: the generator did not move");
        Assert.True(SameBits(second, again), "the draw after the restore differs from the one after the save");
        Assert.True(SameBits(dropout, dropoutAgain), "dropout after the restore drew another mask");
    }

    static bool SameBits(Tensor a, Tensor b)
    {
        using var x = a.cpu();
        using var y = b.cpu();
        return x.bytes.SequenceEqual(y.bytes);
    }
}
