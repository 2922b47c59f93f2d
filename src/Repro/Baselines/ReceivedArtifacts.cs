using System.IO.Compression;

namespace Repro;

/// <summary>
/// Received runs collected from CI artifacts: a folder (what <c>gh run download</c> writes, or any copy of
/// snapshots folders), a downloaded artifact <c>.zip</c>, or a folder of such zips. Every
/// <c>*.received.json</c> inside is read; diffs and reports beside it are ignored. The key and test come
/// from each file itself (an upload may flatten folders), checked against its environment and its name.
/// </summary>
internal static class ReceivedArtifacts
{
    // A received file is tens of kilobytes; anything near this is not one.
    const long MaxEntryBytes = 64L << 20;

    /// <summary>The received runs under <paramref name="path"/>, in a stable order; an error names what is wrong with the path.</summary>
    public static IReadOnlyList<ReceivedRun> Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var runs = new List<ReceivedRun>();
        if (Directory.Exists(path))
        {
            var root = Path.GetFullPath(path);
            // Links are not followed (a link back to its own folder would never end); depth is bounded.
            var walk = new EnumerationOptions { RecurseSubdirectories = true, MaxRecursionDepth = 16, AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = true };
            foreach (var file in Directory.EnumerateFiles(root, "*", walk).Order(StringComparer.Ordinal))
            {
                var label = Path.GetRelativePath(root, file).Replace('\\', '/');
                if (IsZip(file)) ReadZip(file, label, runs, depth: 0);
                else if (IsReceived(file)) runs.Add(Parse(ReadText(file), label));
            }
        }
        else if (File.Exists(path) && IsZip(path)) ReadZip(path, Path.GetFileName(path), runs, depth: 0);
        else if (File.Exists(path) && IsReceived(path)) runs.Add(Parse(ReadText(path), Path.GetFileName(path)));
        else if (File.Exists(path))
            throw new ReproException($"--from {path}: not a folder, a .zip or a *{BaselineStore.ReceivedSuffix} file. Pass the folder 'gh run download' wrote, " +
                "or an artifact .zip downloaded from the CI run.");
        else
            throw new ReproException($"--from {path}: no such file or folder. Download the CI run's artifacts first (e.g. 'gh run download <run-id> --dir ci-artifacts'), then pass that folder.");
        return runs;
    }

    static void ReadZip(string path, string label, List<ReceivedRun> runs, int depth)
    {
        // A FIFO or device named *.zip would block or never end; only a regular file is opened.
        path = SafeFile.RealFile(path, "--from: artifact");
        try
        {
            using var archive = ZipFile.OpenRead(path);
            ReadArchive(archive, label, runs, depth);
        }
        catch (InvalidDataException ex)
        {
            throw new ReproException($"--from: {label} is not a readable zip ({ex.Message}); download the artifact again.", ex);
        }
    }

    // Entries are read in memory and never extracted, so a name like "../x" cannot write anywhere.
    static void ReadArchive(ZipArchive archive, string label, List<ReceivedRun> runs, int depth)
    {
        foreach (var entry in archive.Entries.OrderBy(e => e.FullName, StringComparer.Ordinal))
        {
            var name = label + "!" + entry.FullName;
            var nested = IsZip(entry.FullName);
            if (!nested && !IsReceived(entry.FullName)) continue;
            if (entry.Length > MaxEntryBytes)
                throw new ReproException($"--from: {name} is {entry.Length} bytes, too large for a received run; this is not a Repro artifact.");
            if (nested && depth > 0) continue;
            var bytes = ReadEntry(entry, name);
            if (nested)
            {
                // One level of zips in a zip: a folder of downloaded artifacts, zipped again to pass it on.
                using var copy = new MemoryStream(bytes, writable: false);
                using var inner = new ZipArchive(copy, ZipArchiveMode.Read);
                ReadArchive(inner, name, runs, depth + 1);
            }
            else runs.Add(Parse(new System.Text.UTF8Encoding(false).GetString(bytes), name));
        }
    }

    static ReceivedRun Parse(string json, string label)
    {
        var file = BaselineStore.Parse(json, label);
        if (label.Split('/', '!')[^1] != file.Test + BaselineStore.ReceivedSuffix)
            throw new ReproException($"Refusing {label}: the file is named for another test than the '{file.Test}' it records; it was renamed or edited. Use the artifact as CI uploaded it.");
        return new ReceivedRun(file, label);
    }

    // The entry's declared length can lie: the read itself stops one byte past the cap, and the bytes must
    // have the CRC-32 the archive recorded for them (a damaged download is refused, not half-trusted).
    static byte[] ReadEntry(ZipArchiveEntry entry, string name)
    {
        using var stream = entry.Open();
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = stream.Read(chunk)) > 0)
        {
            if (buffer.Length + read > MaxEntryBytes)
                throw new ReproException($"--from: {TerminalText.Escape(name)} inflates to more than {MaxEntryBytes >> 20} MiB, too large for a received run; this is not a Repro artifact.");
            buffer.Write(chunk, 0, read);
        }
        var bytes = buffer.ToArray();
        if (System.IO.Hashing.Crc32.HashToUInt32(bytes) != entry.Crc32)
            throw new ReproException($"--from: {TerminalText.Escape(name)} does not match its CRC-32 in the zip, so the download is damaged; download the artifact again.");
        return bytes;
    }

    static string ReadText(string path) => SafeFile.ReadAllText(path, "--from: received run", maxBytes: MaxEntryBytes);

    static bool IsZip(string name) => name.EndsWith(".zip", StringComparison.OrdinalIgnoreCase);

    static bool IsReceived(string name) => name.EndsWith(BaselineStore.ReceivedSuffix, StringComparison.Ordinal);
}
