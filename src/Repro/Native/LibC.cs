using System.Runtime.InteropServices;

namespace Repro.Native;

// .NET's Environment.SetEnvironmentVariable only updates a managed copy on Unix; cuBLAS, MKL and
// ATen read the process environment with getenv, so native settings go through libc itself.
internal static partial class LibC
{
    const string Library = "libc.so.6";
    internal const int RtldLazy = 0x1;
    internal const int RtldNoLoad = 0x4;
    internal const int RtldGlobal = 0x100;

    [LibraryImport(Library, EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnvNative(string name, string value, int overwrite);

    [LibraryImport(Library, EntryPoint = "unsetenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int UnsetEnvNative(string name);

    [LibraryImport(Library, EntryPoint = "getenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr GetEnvNative(string name);

    [LibraryImport(Library, EntryPoint = "dlopen", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial IntPtr DlOpen(string? fileName, int flags);

    [LibraryImport(Library, EntryPoint = "dlerror")]
    private static partial IntPtr DlErrorNative();

    internal static string? GetEnv(string name)
    {
        if (!OperatingSystem.IsLinux()) return Environment.GetEnvironmentVariable(name);
        var p = GetEnvNative(name);
        return p == IntPtr.Zero ? null : Marshal.PtrToStringUTF8(p);
    }

    /// <summary>Sets the variable in the native environment and in .NET's copy, so both agree.</summary>
    internal static void SetEnv(string name, string value)
    {
        Environment.SetEnvironmentVariable(name, value);
        if (!OperatingSystem.IsLinux()) return;
        if (SetEnvNative(name, value, 1) != 0)
            throw new ReproException($"setenv({name}) failed with errno {Marshal.GetLastPInvokeError()}.");
    }

    /// <summary>Sets (or, for null, removes) the variable natively and in .NET's copy.</summary>
    internal static void SetOrUnsetEnv(string name, string? value)
    {
        if (value is not null) { SetEnv(name, value); return; }
        Environment.SetEnvironmentVariable(name, null);
        if (OperatingSystem.IsLinux()) UnsetEnvNative(name);
    }

    internal static string DlError()
    {
        var p = DlErrorNative();
        return p == IntPtr.Zero ? "unknown dlopen error" : Marshal.PtrToStringUTF8(p) ?? "unknown dlopen error";
    }

    /// <summary>The handle of an already loaded library with this soname, or zero; never loads a second copy.</summary>
    internal static IntPtr FindLoaded(string soname) => OperatingSystem.IsLinux() ? DlOpen(soname, RtldLazy | RtldNoLoad) : IntPtr.Zero;
}
