using System.Text;

namespace Repro;

// A .repro-lock file held open exclusively for as long as one writer works in a folder (a checkpoint
// folder while training, a snapshots key folder while approving). The operating system releases it
// when the process dies, so a kill -9 never leaves a stale lock. The holder's pid, host and command are
// written inside it and, because .NET's lock on Unix (flock) also keeps other readers out, beside it in
// .repro-lock.holder, so that the second writer's error says who holds it.
internal sealed class FolderLock : IDisposable
{
    internal const string FileName = ".repro-lock";
    internal const string HolderFileName = FileName + ".holder";

    readonly FileStream _stream;

    FolderLock(FileStream stream) => _stream = stream;

    internal static FolderLock Acquire(string folder, string purpose) => Acquire(folder, purpose, folder);

    /// <summary>
    /// A lock for a committed folder (a snapshots key folder), kept in Repro's private temp directory
    /// under a name derived from the folder's full path: a lock file inside would show up in the user's
    /// git status and be committed with the baselines.
    /// </summary>
    internal static FolderLock AcquireOutside(string folder, string purpose)
    {
        var name = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(folder))))[..24];
        return Acquire(folder, purpose, Path.Combine(PrivateTemp.Directory(), "locks", name));
    }

    static FolderLock Acquire(string folder, string purpose, string lockFolder)
    {
        Directory.CreateDirectory(lockFolder);
        var path = Path.Combine(lockFolder, FileName);
        if (new FileInfo(path).LinkTarget is not null)
            throw new ReproException($"{TerminalText.Escape(path)} is a symbolic link; Repro's lock file must be a plain file. Remove it and try again.");
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex) when (ex is not FileNotFoundException and not DirectoryNotFoundException and not PathTooLongException)
        {
            throw new ReproException($"{TerminalText.Escape(folder)} is in use by another Repro process ({Holder(path)}), so {purpose} cannot write there now. Wait for it to finish (or stop it), " +
                "or use another folder.", ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new ReproException($"Cannot lock {TerminalText.Escape(folder)} for {purpose}: {ex.Message} Make the folder writable.", ex);
        }
        var holder = Encoding.UTF8.GetBytes($"pid {System.Environment.ProcessId} on {System.Environment.MachineName}: {purpose}\n");
        stream.SetLength(0);
        stream.Write(holder);
        stream.Flush();
        try
        {
            // Removed and created new, so a link planted under the note's name is never followed.
            var note = Path.Combine(lockFolder, HolderFileName);
            File.Delete(note);
            using var written = new FileStream(note, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
            written.Write(holder);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { /* the lock holds without its note */ }
        return new FolderLock(stream);
    }

    /// <summary>Locks for committed folders (<see cref="AcquireOutside"/>), all or none.</summary>
    internal static Locks AcquireAllOutside(IEnumerable<string> folders, string purpose)
    {
        var held = new List<FolderLock>();
        try
        {
            foreach (var folder in folders) held.Add(AcquireOutside(folder, purpose));
        }
        catch
        {
            foreach (var l in held) l.Dispose();
            throw;
        }
        return new Locks(held);
    }

    // What the holder wrote beside the lock (the lock file itself cannot be opened while held).
    static string Holder(string path)
    {
        try
        {
            var note = path + ".holder";
            if (new FileInfo(note).LinkTarget is not null) return "its lock file " + FileName + " is held";
            using var stream = new FileStream(note, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var buffer = new byte[512];
            var read = stream.Read(buffer);
            var text = Encoding.UTF8.GetString(buffer, 0, read).Trim();
            return text.Length > 0 ? "held by " + TerminalText.Escape(text) : "its lock file " + FileName + " is held";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return "its lock file " + FileName + " is held";
        }
    }

    // The file stays (deleting it would race a waiting writer onto a fresh inode): the open handle is the lock.
    public void Dispose() => _stream.Dispose();

    internal sealed class Locks(IReadOnlyList<FolderLock> held) : IDisposable
    {
        public void Dispose()
        {
            foreach (var l in held) l.Dispose();
        }
    }
}
