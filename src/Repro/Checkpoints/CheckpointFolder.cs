using System.Globalization;
using System.IO.Hashing;
using System.Text.RegularExpressions;

namespace Repro;

// The on-disk layout: one folder per checkpoint, checkpoint-e0002-s000005 (after step 5 of epoch 2)
// or checkpoint-e0002-end, holding manifest.json and tensors.safetensors. A checkpoint is written in
// a hidden temporary folder beside them and renamed into place when complete, so a process killed
// while writing leaves a temporary folder (ignored, and removed by the next writer), never a torn
// checkpoint under a checkpoint's name.
internal static partial class CheckpointFolder
{
    internal const string ManifestFile = "manifest.json";
    internal const string TensorsFile = "tensors.safetensors";
    const string TempPrefix = ".checkpoint-tmp-";

    internal static string NameOf(CheckpointPosition position) => position.EndOfEpoch
        ? string.Create(CultureInfo.InvariantCulture, $"checkpoint-e{position.Epoch:D4}-end")
        : string.Create(CultureInfo.InvariantCulture, $"checkpoint-e{position.Epoch:D4}-s{position.Step:D6}");

    // Training order: inside epoch e by step, then its end, then epoch e + 1.
    static (int Epoch, long Step)? OrderOf(string name)
    {
        var match = NamePattern().Match(name);
        if (!match.Success) return null;
        var epoch = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return match.Groups[2].Value == "end" ? (epoch, long.MaxValue) : (epoch, long.Parse(match.Groups[2].Value[1..], CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"^checkpoint-e(\d{4,})-(end|s\d{6,})$")]
    private static partial Regex NamePattern();

    /// <summary>Complete checkpoints (by name) in <paramref name="root"/>, oldest first.</summary>
    internal static IReadOnlyList<string> List(string root) => !Directory.Exists(root) ? [] :
        [.. Directory.EnumerateDirectories(root)
            .Select(d => (Path: d, Order: OrderOf(Path.GetFileName(d))))
            .Where(d => d.Order is not null)
            .OrderBy(d => d.Order!.Value.Epoch).ThenBy(d => d.Order!.Value.Step)
            .Select(d => d.Path)];

    /// <summary>
    /// The checkpoint to resume from: <paramref name="path"/> itself when it holds a manifest, else the
    /// latest checkpoint in it.
    /// </summary>
    internal static string Resolve(string path)
    {
        var full = Path.GetFullPath(path);
        if (!Directory.Exists(full))
            throw new ReproException($"Cannot resume from {full}: no such folder. Pass a checkpoint folder or the folder the checkpoints were written to (repro run --checkpoint-dir).");
        if (File.Exists(Path.Combine(full, ManifestFile))) return full;
        var checkpoints = List(full);
        if (checkpoints.Count > 0) return checkpoints[^1];
        var partial = Directory.EnumerateDirectories(full, TempPrefix + "*").Select(Path.GetFileName).ToList();
        throw new ReproException($"{full} holds no complete checkpoint" +
            (partial.Count > 0 ? $" (only {partial.Count} unfinished one(s), {string.Join(", ", partial)}, from a process that stopped while writing)" : "") +
            ". Pass the folder given to --checkpoint-dir (or CheckpointOptions.Directory) after a checkpoint was written, or a checkpoint-e... folder in it.");
    }

    /// <summary>Writes a checkpoint atomically and returns its folder.</summary>
    internal static string Write(string root, CheckpointPosition position, IEnumerable<SafeTensor> tensors, Func<CheckpointFileRecord, CheckpointManifest> manifest)
    {
        Directory.CreateDirectory(root);
        var final = Path.Combine(Path.GetFullPath(root), NameOf(position));
        var temp = Path.Combine(Path.GetFullPath(root), TempPrefix + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(temp);
        try
        {
            var file = WriteTensors(Path.Combine(temp, TensorsFile), tensors);
            WriteSynced(Path.Combine(temp, ManifestFile), System.Text.Encoding.UTF8.GetBytes(ReproJson.Serialize(CheckpointSeal.Seal(manifest(file)))));
            Replace(temp, final);
            return final;
        }
        finally
        {
            if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
        }
    }

    /// <summary>
    /// Keeps <paramref name="written"/> and the <paramref name="keep"/> - 1 checkpoints before it; removes
    /// older ones. Later ones (from a run that went further before this one resumed an older checkpoint)
    /// stay: training is deterministic, so they hold what this run will reach.
    /// </summary>
    internal static void Prune(string written, int keep)
    {
        var checkpoints = List(Path.GetDirectoryName(written)!);
        var index = checkpoints.ToList().IndexOf(written);
        foreach (var old in checkpoints.Take(Math.Max(0, index - (keep - 1)))) Remove(old);
    }

    // Renamed out of the checkpoints' names first: a recursive delete killed half-way would otherwise
    // leave a folder that is listed as a checkpoint but has lost its manifest (found by the kill -9 loop).
    static void Remove(string checkpoint)
    {
        var doomed = Path.Combine(Path.GetDirectoryName(checkpoint)!, TempPrefix + Guid.NewGuid().ToString("N"));
        try { Directory.Move(checkpoint, doomed); }
        catch (IOException) { return; }
        catch (UnauthorizedAccessException) { return; }
        TryDelete(doomed);
    }

    /// <summary>Removes unfinished checkpoints left by a process that was killed while writing.</summary>
    internal static void RemoveUnfinished(string root)
    {
        if (!Directory.Exists(root)) return;
        foreach (var temp in Directory.EnumerateDirectories(root, TempPrefix + "*")) TryDelete(temp);
    }

    // A checkpoint at the same position from an abandoned run (resumed from an older checkpoint) is
    // replaced: training is deterministic, so it held the same state.
    static void Replace(string temp, string final)
    {
        if (Directory.Exists(final))
        {
            var old = Path.Combine(Path.GetDirectoryName(final)!, TempPrefix + Guid.NewGuid().ToString("N"));
            Directory.Move(final, old);
            Directory.Move(temp, final);
            TryDelete(old);
            return;
        }
        Directory.Move(temp, final);
    }

    static CheckpointFileRecord WriteTensors(string path, IEnumerable<SafeTensor> tensors)
    {
        using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20);
        using var hashing = new HashingStream(file);
        SafeTensors.Write(hashing, tensors);
        hashing.Flush();
        file.Flush(flushToDisk: true);
        return new CheckpointFileRecord(TensorsFile, hashing.Length, hashing.Hash(), hashing.Sha256());
    }

    static void WriteSynced(string path, byte[] bytes)
    {
        using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        file.Write(bytes);
        file.Flush(flushToDisk: true);
    }

    internal static string HashFile(byte[] bytes) => Convert.ToHexStringLower(XxHash128.Hash(bytes));

    static void TryDelete(string directory)
    {
        try { Directory.Delete(directory, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    // Hashes and counts what passes through to the file, so the file is written once and never re-read.
    sealed class HashingStream(Stream inner) : Stream
    {
        readonly XxHash128 _hash = new();
        readonly System.Security.Cryptography.IncrementalHash _sha256 = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        long _length;

        internal string Hash() => Convert.ToHexStringLower(_hash.GetCurrentHash());

        internal string Sha256() => ContentDigest.Prefix + Convert.ToHexStringLower(_sha256.GetCurrentHash());

        protected override void Dispose(bool disposing)
        {
            if (disposing) _sha256.Dispose();
            base.Dispose(disposing);
        }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            _hash.Append(buffer);
            _sha256.AppendData(buffer);
            _length += buffer.Length;
            inner.Write(buffer);
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));
        public override void Flush() => inner.Flush();
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => _length;
        public override long Position { get => _length; set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
