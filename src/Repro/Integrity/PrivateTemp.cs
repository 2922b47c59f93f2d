using System.Text;

namespace Repro;

// Files Repro writes outside its folders (error details, scratch) go into a directory of its own that
// only this user can enter, each created new (CreateNew: a name someone planted, link or file, is never
// opened, let alone followed); a planted name just makes the next one be tried.
internal static class PrivateTemp
{
    const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    internal static string Directory()
    {
        var user = TerminalSafe(System.Environment.UserName);
        var path = Path.Combine(Path.GetTempPath(), $"repro-{user}");
        var info = new DirectoryInfo(path);
        if (info.LinkTarget is not null || (info.Exists && OperatingSystem.IsLinux() && info.UnixFileMode != Private))
        {
            // Someone else's (or a link): use a fresh, unpredictable one instead of trusting it.
            return System.IO.Directory.CreateTempSubdirectory("repro-").FullName;
        }
        if (!info.Exists)
        {
            if (OperatingSystem.IsWindows()) System.IO.Directory.CreateDirectory(path);
            else System.IO.Directory.CreateDirectory(path, Private);
        }
        return path;
    }

    internal static string CreateNewFile(string prefix, string suffix, string content)
    {
        var directory = Directory();
        for (var attempt = 0; ; attempt++)
        {
            var path = Path.Combine(directory, $"{prefix}-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{System.Environment.ProcessId}{(attempt == 0 ? "" : "-" + attempt)}{suffix}");
            try
            {
                using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
                stream.Write(new UTF8Encoding(false).GetBytes(content));
                return path;
            }
            catch (IOException) when (attempt < 20 && Path.Exists(path)) { }
        }
    }

    static string TerminalSafe(string name) => string.Concat(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_'));
}
