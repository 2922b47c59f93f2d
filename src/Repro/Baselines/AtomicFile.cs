using System.Text;

namespace Repro;

// A baseline is never half-written: write a temp file in the same folder (same file system),
// flush it to disk, then rename over the target, which readers see as all-or-nothing. A writer
// killed before the rename leaves its temp file; the next write to that folder removes temp files
// whose writing process is gone (their name carries its id), so none pile up or get committed.
internal static class AtomicFile
{
    internal const string TempSuffix = ".repro-tmp";

    internal static void WriteAllText(string path, string content)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var temp = Path.Combine(directory, $".{Path.GetFileName(path)}.{System.Environment.ProcessId}.{Guid.NewGuid():N}{TempSuffix}");
        try
        {
            Directory.CreateDirectory(directory);
            RemoveOrphans(directory);
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                var bytes = new UTF8Encoding(false).GetBytes(content);
                stream.Write(bytes);
                stream.Flush(true);
            }
            File.Move(temp, path, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ReproException($"Could not write {path}: {ex.Message} Check that its folder is a writable folder with free space (and that {path} itself is not a folder).", ex);
        }
        finally
        {
            try { if (File.Exists(temp)) File.Delete(temp); }
            catch (IOException) { /* the write's own error (or success) is what the caller needs */ }
        }
    }

    static void RemoveOrphans(string directory)
    {
        foreach (var orphan in Directory.EnumerateFiles(directory, "*" + TempSuffix))
        {
            if (!IsOrphan(Path.GetFileName(orphan))) continue;
            try { File.Delete(orphan); }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { /* another process removed it first */ }
        }
    }

    // .{name}.{pid}.{guid}.repro-tmp: an orphan when no process with that id runs (or the name is not ours).
    static bool IsOrphan(string fileName)
    {
        var parts = fileName[..^TempSuffix.Length].Split('.');
        if (parts.Length < 3 || !int.TryParse(parts[^2], out var pid)) return false;
        return pid != System.Environment.ProcessId && !IsRunning(pid);
    }

    static bool IsRunning(int pid)
    {
        try { using var process = System.Diagnostics.Process.GetProcessById(pid); return !process.HasExited; }
        catch (ArgumentException) { return false; }
    }
}
