using TorchSharp;

namespace Repro;

/// <summary>
/// torch's default generators at one moment: the CPU generator's state bytes (what
/// <c>torch.get_rng_state()</c> returns) and, on CUDA, the current device's Philox seed and offset
/// (what <c>torch.cuda.get_rng_state()</c> returns).
/// </summary>
internal sealed record GeneratorState(byte[] Cpu, CudaGeneratorState? Cuda)
{
    internal static GeneratorState Capture(bool cuda)
    {
        using var cpu = torch.random.get_rng_state();
        return new GeneratorState(cpu.bytes.ToArray(), cuda ? CudaGeneratorState.Capture() : null);
    }

    internal void Restore()
    {
        using (var cpu = torch.tensor(Cpu))
            torch.random.set_rng_state(cpu);
        Cuda?.Restore();
    }
}

/// <summary>The default CUDA generator: Philox seed and offset per thread.</summary>
internal sealed record CudaGeneratorState(ulong Seed, ulong Offset)
{
    internal static CudaGeneratorState Capture()
    {
        var (seed, offset) = Native.CudaGenerator.Read();
        return new CudaGeneratorState(seed, offset);
    }

    internal void Restore() => Native.CudaGenerator.Write(Seed, Offset);

    /// <summary>The hash the doctor's step trace records.</summary>
    internal string Hash()
    {
        Span<byte> bytes = stackalloc byte[16];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(bytes, Seed);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(bytes[8..], Offset);
        return TensorHasher.HashBytes(bytes);
    }
}
