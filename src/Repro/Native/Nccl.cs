using System.Runtime.InteropServices;

namespace Repro.Native;

// NCCL's C API, reached the way NVRTC and the CUDA driver are: libnccl.so.2 is found where PyTorch's CUDA
// wheels put it (already mapped by libtorch_cuda, torch/lib, or the nvidia/nccl/lib wheel beside torch),
// then by soname; every call's status goes through ncclGetErrorString. Without the library, the first
// call is an error that says where it was looked for, never a crash.
internal static unsafe class Nccl
{
    // ncclDataType_t and ncclRedOp_t values of nccl.h (stable since NCCL 2.0).
    internal const int Float32 = 7, Float64 = 8, Float16 = 6, BFloat16 = 9, Int64 = 4, Int32 = 2, Sum = 0;

    internal const string LibraryVariable = "REPRO_NCCL_LIBRARY";

    static IntPtr _library;
    static readonly Lock Gate = new();

    [System.Runtime.CompilerServices.InlineArray(128)]
    internal struct UniqueId
    {
        byte _first;
    }

    internal static UniqueId GetUniqueId()
    {
        UniqueId id;
        Check(((delegate* unmanaged<UniqueId*, int>)Export("ncclGetUniqueId"))(&id), "ncclGetUniqueId");
        return id;
    }

    internal static IntPtr CommInitRank(int worldSize, UniqueId id, int rank)
    {
        IntPtr communicator;
        Check(((delegate* unmanaged<IntPtr*, int, UniqueId, int, int>)Export("ncclCommInitRank"))(&communicator, worldSize, id, rank), $"ncclCommInitRank (rank {rank} of {worldSize})");
        return communicator;
    }

    internal static void AllReduce(IntPtr send, IntPtr receive, nuint count, int dataType, IntPtr communicator, IntPtr stream) =>
        Check(((delegate* unmanaged<IntPtr, IntPtr, nuint, int, int, IntPtr, IntPtr, int>)Export("ncclAllReduce"))(send, receive, count, dataType, Sum, communicator, stream), "ncclAllReduce");

    internal static void AllGather(IntPtr send, IntPtr receive, nuint sendCount, int dataType, IntPtr communicator, IntPtr stream) =>
        Check(((delegate* unmanaged<IntPtr, IntPtr, nuint, int, IntPtr, IntPtr, int>)Export("ncclAllGather"))(send, receive, sendCount, dataType, communicator, stream), "ncclAllGather");

    internal static void Broadcast(IntPtr send, IntPtr receive, nuint count, int dataType, int root, IntPtr communicator, IntPtr stream) =>
        Check(((delegate* unmanaged<IntPtr, IntPtr, nuint, int, int, IntPtr, IntPtr, int>)Export("ncclBroadcast"))(send, receive, count, dataType, root, communicator, stream), "ncclBroadcast");

    internal static void CommDestroy(IntPtr communicator) => Check(((delegate* unmanaged<IntPtr, int>)Export("ncclCommDestroy"))(communicator), "ncclCommDestroy");

    // "2.27.3" from ncclGetVersion's code (major*10000 + minor*100 + patch since 2.9).
    internal static string Version()
    {
        int code;
        Check(((delegate* unmanaged<int*, int>)Export("ncclGetVersion"))(&code), "ncclGetVersion");
        return code >= 10000 ? $"{code / 10000}.{code % 10000 / 100}.{code % 100}" : $"{code / 1000}.{code % 1000 / 100}.{code % 100}";
    }

    // Whether this process already holds NCCL (a later missing-library setting then has no effect).
    internal static bool IsLoaded => _library != IntPtr.Zero;

    static void Check(int status, string call)
    {
        if (status == 0) return;
        var text = ((delegate* unmanaged<int, IntPtr>)Export("ncclGetErrorString"))(status);
        throw new ReproException($"NCCL {call} returned {status} ({Marshal.PtrToStringUTF8(text) ?? "no description"}). NCCL_DEBUG=INFO in the environment makes NCCL say more.");
    }

    static IntPtr Export(string name)
    {
        var library = Library();
        return NativeLibrary.TryGetExport(library, name, out var address) ? address
            : throw new ReproException($"The NCCL library loaded ({LoadedLibraries.Find("libnccl.so") ?? "libnccl.so.2"}) does not export {name}; " +
                "use NCCL 2.12 or newer (PyTorch's CUDA wheels ship one).");
    }

    static IntPtr Library()
    {
        lock (Gate)
        {
            if (_library != IntPtr.Zero) return _library;
            var tried = new List<string>();
            foreach (var candidate in Candidates())
            {
                tried.Add(candidate);
                if (NativeLibrary.TryLoad(candidate, out var handle)) return _library = handle;
            }
            throw new ReproException($"NCCL (libnccl.so.2) was not found, so this process cannot train on several GPUs. Looked at: {string.Join(", ", tried)}. " +
                $"Install PyTorch's CUDA wheel (it brings nvidia/nccl/lib/libnccl.so.2) or set {LibraryVariable} to the file.");
        }
    }

    // An explicit file first; else the copy libtorch_cuda already mapped, then torch/lib and the nvidia/nccl
    // wheel beside the loaded (or located) libtorch, then the loader's own search by soname.
    internal static IEnumerable<string> Candidates()
    {
        if (System.Environment.GetEnvironmentVariable(LibraryVariable) is { Length: > 0 } configured)
        {
            yield return configured;
            yield break;
        }
        if (LoadedLibraries.Find("libnccl.so") is { } loaded) yield return loaded;
        var torchLib = LoadedLibraries.Find("libtorch_cuda.so") is { } torch ? Path.GetDirectoryName(torch) : LibTorchLocator.Locate().Directory;
        if (torchLib is not null)
        {
            yield return Path.Combine(torchLib, "libnccl.so.2");
            yield return Path.GetFullPath(Path.Combine(torchLib, "..", "..", "nvidia", "nccl", "lib", "libnccl.so.2"));
        }
        yield return "libnccl.so.2";
    }
}
