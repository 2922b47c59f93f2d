namespace Repro.Advanced;

/// <summary>What <see cref="NativeRuntime.Initialize"/> loaded: the device and the libtorch that is really mapped.</summary>
/// <param name="Device">"cuda" or "cpu".</param>
/// <param name="LibTorchPath">The libtorch_cpu.so the loader mapped (every libtorch has one).</param>
/// <param name="Source">How it was chosen: "NuGet package", "REPRO_LIBTORCH_DIR", "installed PyTorch"...</param>
/// <param name="Notes">Decisions worth telling the user, e.g. why CUDA was not used.</param>
public sealed record NativeRuntimeInfo(string Device, string LibTorchPath, string Source, IReadOnlyList<string> Notes)
{
    public bool IsCuda => Device == "cuda";
}
