using System.Runtime.InteropServices;
using System.Text;

namespace Repro;

// Every file Repro trusts is read through here: a regular file only (a FIFO would block the reader
// forever, /dev/zero would fill memory), links resolved to their final target (a loop is an error,
// not a hang) and, when a folder is given, required to stay inside it; the size is checked on the
// opened handle and the read itself is capped, so a file swapped after the check is still bounded.
internal static partial class SafeFile
{
    /// <summary>No baseline, received file, manifest or alias comes near this; a larger one is not Repro's.</summary>
    internal const long MaxBytes = 64L << 20;

    internal static string ReadAllText(string path, string what, string? inside = null, long maxBytes = MaxBytes) =>
        new UTF8Encoding(false, throwOnInvalidBytes: false).GetString(ReadAllBytes(path, what, inside, maxBytes));

    internal static byte[] ReadAllBytes(string path, string what, string? inside = null, long maxBytes = MaxBytes)
    {
        var real = RealFile(path, what, inside);
        try
        {
            using var stream = new FileStream(real, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
            if (stream.CanSeek && stream.Length > maxBytes) throw TooLarge(path, what, maxBytes);
            using var buffer = new MemoryStream(stream.CanSeek ? (int)Math.Min(stream.Length, maxBytes) : 0);
            var chunk = new byte[81920];
            int read;
            while ((read = stream.Read(chunk)) > 0)
            {
                if (buffer.Length + read > maxBytes) throw TooLarge(path, what, maxBytes);
                buffer.Write(chunk, 0, read);
            }
            return buffer.ToArray();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ReproException($"Cannot read {what} {TerminalText.Escape(path)}: {ex.Message} Check that it is a readable file.", ex);
        }
    }

    /// <summary>
    /// The path with its links resolved, refused unless it ends at a regular file (inside <paramref name="inside"/> when given).
    /// </summary>
    internal static string RealFile(string path, string what, string? inside = null)
    {
        var real = Resolve(path, what);
        if (inside is not null && !Paths.IsInside(real, inside))
            throw new ReproException($"{what} {TerminalText.Escape(path)} is a link to {TerminalText.Escape(real)}, outside {TerminalText.Escape(inside)}; Repro reads only files inside it. " +
                "Replace the link with the file itself.");
        var type = FileType(real);
        if (type is not null && type != RegularType)
            throw new ReproException($"{what} {TerminalText.Escape(path)} is {Describe(type.Value)}, not a regular file; Repro reads only regular files. " +
                "Remove it and re-create the file with the command that writes it.");
        return real;
    }

    static string Resolve(string path, string what)
    {
        var info = new FileInfo(Path.GetFullPath(path));
        if (info.LinkTarget is null) return info.FullName;
        try
        {
            return info.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? info.FullName;
        }
        catch (IOException ex)
        {
            throw new ReproException($"{what} {TerminalText.Escape(path)} is a symbolic link that cannot be resolved ({ex.Message}), e.g. a loop; remove the link and re-create the file.", ex);
        }
    }

    const int TypeMask = 0xF000;
    const int RegularType = 0x8000;

    static string Describe(int type) => type switch
    {
        0x1000 => "a FIFO (named pipe)",
        0x2000 => "a character device",
        0x6000 => "a block device",
        0x4000 => "a folder",
        0xC000 => "a socket",
        0xA000 => "a symbolic link",
        _ => "a special file",
    };

    // The file type from lstat through the runtime's own System.Native (the struct .NET itself uses);
    // null where that is unavailable (not Unix), which leaves the size cap as the guard.
    static int? FileType(string path)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return null;
        var status = new byte[512];
        try
        {
            if (LStat(path, status) != 0) return null;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException) { return null; }
        return BitConverter.ToInt32(status, 4) & TypeMask;
    }

    [LibraryImport("libSystem.Native", EntryPoint = "SystemNative_LStat", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int LStat(string path, [Out] byte[] status);

    static ReproException TooLarge(string path, string what, long maxBytes) =>
        new($"{what} {TerminalText.Escape(path)} is larger than {maxBytes >> 20} MiB, the most Repro reads; it is not a file Repro wrote. Remove it, or restore it from git.");
}
