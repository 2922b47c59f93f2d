using System.Runtime.InteropServices;
using System.Text;

namespace Repro.Native;

// NVRTC, the CUDA runtime compiler every PyTorch CUDA install carries (for its jiterator), found
// beside the CUDA runtime libtorch loaded. It turns a kernel written here into a cubin for this GPU,
// which is how Repro runs a kernel TorchSharp does not have.
internal static unsafe class Nvrtc
{
    static IntPtr _library;

    /// <summary>Compiles <paramref name="source"/> to a cubin for compute capability major.minor; throws a ReproException with NVRTC's log.</summary>
    internal static byte[] CompileCubin(string source, string name, int major, int minor)
    {
        var library = Library();
        IntPtr program;
        var sourceText = Marshal.StringToCoTaskMemUTF8(source);
        var nameText = Marshal.StringToCoTaskMemUTF8(name);
        try
        {
            Check(((delegate* unmanaged<IntPtr*, IntPtr, IntPtr, int, byte**, byte**, int>)Export(library, "nvrtcCreateProgram"))(
                &program, sourceText, nameText, 0, null, null), "nvrtcCreateProgram", IntPtr.Zero);
        }
        finally
        {
            Marshal.FreeCoTaskMem(sourceText);
            Marshal.FreeCoTaskMem(nameText);
        }
        try
        {
            var options = new[] { $"--gpu-architecture=sm_{major}{minor}", "--std=c++17" }.Select(Marshal.StringToCoTaskMemUTF8).ToArray();
            try
            {
                fixed (IntPtr* optionPointers = options)
                {
                    var status = ((delegate* unmanaged<IntPtr, int, IntPtr*, int>)Export(library, "nvrtcCompileProgram"))(program, options.Length, optionPointers);
                    Check(status, "nvrtcCompileProgram", program);
                }
            }
            finally
            {
                foreach (var option in options) Marshal.FreeCoTaskMem(option);
            }
            nuint size;
            Check(((delegate* unmanaged<IntPtr, nuint*, int>)Export(library, "nvrtcGetCUBINSize"))(program, &size), "nvrtcGetCUBINSize", program);
            var cubin = new byte[(int)size];
            fixed (byte* data = cubin)
                Check(((delegate* unmanaged<IntPtr, byte*, int>)Export(library, "nvrtcGetCUBIN"))(program, data), "nvrtcGetCUBIN", program);
            return cubin;
        }
        finally
        {
            ((delegate* unmanaged<IntPtr*, int>)Export(library, "nvrtcDestroyProgram"))(&program);
        }
    }

    static void Check(int status, string call, IntPtr program)
    {
        if (status == 0) return;
        throw new ReproException($"NVRTC {call} returned {status}{(program == IntPtr.Zero ? "" : ": " + Log(program))}");
    }

    static string Log(IntPtr program)
    {
        nuint size;
        if (((delegate* unmanaged<IntPtr, nuint*, int>)Export(_library, "nvrtcGetProgramLogSize"))(program, &size) != 0 || size == 0) return "(no log)";
        var log = new byte[(int)size];
        fixed (byte* data = log)
            if (((delegate* unmanaged<IntPtr, byte*, int>)Export(_library, "nvrtcGetProgramLog"))(program, data) != 0) return "(no log)";
        return Encoding.UTF8.GetString(log).TrimEnd('\0').Trim();
    }

    static IntPtr Export(IntPtr library, string name) =>
        NativeLibrary.TryGetExport(library, name, out var address) ? address : throw new ReproException($"The NVRTC library found does not export {name}.");

    static IntPtr Library()
    {
        if (_library != IntPtr.Zero) return _library;
        foreach (var candidate in Candidates())
        {
            // NVRTC loads its builtins library by name at compile time; loading it first from the same folder makes that name resolve.
            var folder = Path.GetDirectoryName(candidate);
            if (folder is not null && Directory.Exists(folder))
                foreach (var builtins in Directory.EnumerateFiles(folder, "libnvrtc-builtins.so*"))
                    LibC.DlOpen(builtins, LibC.RtldLazy | LibC.RtldGlobal);
            if (NativeLibrary.TryLoad(candidate, out var handle)) return _library = handle;
        }
        throw new ReproException("NVRTC (libnvrtc.so) was not found beside the CUDA runtime libtorch loaded, nor on the library path.");
    }

    // Beside the loaded CUDA runtime (PyTorch's pip wheels keep them in one folder), in the pip wheels'
    // nvidia/*/lib folders next to torch/lib, then whatever the loader finds by name.
    static IEnumerable<string> Candidates()
    {
        var folders = new List<string>();
        if (LoadedLibraries.Find("libnvrtc.so") is { } loaded) yield return loaded;
        if (LoadedLibraries.Find("libcudart.so") is { } cudart && Path.GetDirectoryName(cudart) is { } runtimeFolder) folders.Add(runtimeFolder);
        if (LoadedLibraries.Find("libtorch_cuda.so") is { } torch && Path.GetDirectoryName(torch) is { } torchLib)
        {
            var nvidia = Path.GetFullPath(Path.Combine(torchLib, "..", "..", "nvidia"));
            if (Directory.Exists(nvidia))
                folders.AddRange(Directory.EnumerateDirectories(nvidia).Select(d => Path.Combine(d, "lib")).Where(Directory.Exists).Order(StringComparer.Ordinal));
        }
        foreach (var folder in folders.Distinct())
            foreach (var file in Directory.EnumerateFiles(folder, "libnvrtc.so*").Where(f => !f.Contains("builtins", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
                yield return file;
        yield return "libnvrtc.so.13";
        yield return "libnvrtc.so.12";
        yield return "libnvrtc.so";
    }
}
