using System.Runtime.InteropServices;

namespace Repro.Native;

// TorchSharp 0.107 has no torch.cuda.get_rng_state / set_rng_state. libtorch_cuda.so exports the
// default CUDA generator and the CUDAGeneratorImpl members that PyTorch's own get_state/set_state
// are made of: the whole state of the Philox generator is (seed, philox offset), the 16 bytes
// torch.cuda.get_rng_state returns. Reached like ATenContext: in the libtorch already loaded.
internal static unsafe class CudaGenerator
{
    const string Library = "libtorch_cuda.so";
    // const at::Generator& at::cuda::detail::getDefaultCUDAGenerator(c10::DeviceIndex = -1)
    const string DefaultGenerator = "_ZN2at4cuda6detail23getDefaultCUDAGeneratorEa";
    const string CurrentSeed = "_ZNK2at17CUDAGeneratorImpl12current_seedEv";
    const string SetCurrentSeed = "_ZN2at17CUDAGeneratorImpl16set_current_seedEm";
    // const since PyTorch 2.2; earlier releases export the non-const member.
    static readonly string[] PhiloxOffset = ["_ZNK2at17CUDAGeneratorImpl24philox_offset_per_threadEv", "_ZN2at17CUDAGeneratorImpl24philox_offset_per_threadEv"];
    const string SetPhiloxOffset = "_ZN2at17CUDAGeneratorImpl28set_philox_offset_per_threadEm";

    static IntPtr _library;

    /// <summary>The default generator of the current CUDA device: (seed, Philox offset per thread).</summary>
    internal static (ulong Seed, ulong Offset) Read()
    {
        var impl = Impl();
        var seed = ((delegate* unmanaged<IntPtr, ulong>)Export(CurrentSeed))(impl);
        var offset = ((delegate* unmanaged<IntPtr, ulong>)Export(PhiloxOffset))(impl);
        return (seed, offset);
    }

    /// <summary>
    /// Restores (seed, offset). The seed is set only when it differs: set_current_seed also tells cuDNN
    /// to re-seed its RNN dropout state at the next LSTM/GRU call, which would change the numbers of a
    /// run whose seed never changed.
    /// </summary>
    internal static void Write(ulong seed, ulong offset)
    {
        // set_philox_offset_per_thread throws (a C++ exception, fatal across P/Invoke) unless offset % 4 == 0.
        if (offset % 4 != 0)
            throw new ReproException($"CUDA generator offset {offset} is not a multiple of 4, so it was not read from a CUDA generator; the checkpoint is damaged.");
        var impl = Impl();
        if (((delegate* unmanaged<IntPtr, ulong>)Export(CurrentSeed))(impl) != seed)
            ((delegate* unmanaged<IntPtr, ulong, void>)Export(SetCurrentSeed))(impl, seed);
        ((delegate* unmanaged<IntPtr, ulong, void>)Export(SetPhiloxOffset))(impl, offset);
    }

    // at::Generator holds one c10::intrusive_ptr<GeneratorImpl>: its first word is the impl pointer,
    // and CUDAGeneratorImpl derives from GeneratorImpl alone, so the pointers are the same.
    static IntPtr Impl()
    {
        if (NativeRuntime.Current is not { IsCuda: true })
            throw new ReproException("The CUDA generator was asked for, but this process runs libtorch on the CPU. " +
                "Request CUDA (REPRO_DEVICE=cuda or DeterminismOptions.Device) before anything loads libtorch.");
        var generator = ((delegate* unmanaged<sbyte, IntPtr*>)Export(DefaultGenerator))(-1);
        var impl = *generator;
        if (impl == IntPtr.Zero)
            throw new ReproException($"libtorch returned an empty default CUDA generator ({Library}); CUDA is not initialised.");
        return impl;
    }

    static IntPtr Export(params string[] names)
    {
        if (_library == IntPtr.Zero)
        {
            _library = LibC.FindLoaded(Library);
            if (_library == IntPtr.Zero)
                throw new ReproException($"{Library} is not loaded in this process, so the CUDA generator state cannot be read. Run on a CUDA libtorch (see README, 'Running on a CUDA machine').");
        }
        foreach (var name in names)
            if (NativeLibrary.TryGetExport(_library, name, out var address)) return address;
        throw new ReproException($"The loaded {LoadedLibraries.Find(Library) ?? Library} does not export {names[0]}. This libtorch is older or newer than the 2.x series Repro was built against; " +
            "use the libtorch that matches TorchSharp (see README, 'Backends').");
    }
}
