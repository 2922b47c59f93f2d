using System.Text.Json;

namespace Repro;

/// <summary>
/// The snapshots folder: <c>{root}/{key}/{test}.verified.json</c> committed, <c>{test}.received.json</c>
/// (ignored by git) written beside it when a run does not match.
/// </summary>
internal sealed partial class BaselineStore
{
    public const string VerifiedSuffix = ".verified.json";
    public const string ReceivedSuffix = ".received.json";
    public const string DiffSuffix = ".received.diff.txt";

    /// <summary>Environment variable naming the snapshots folder when none is given (CLI, xunit, <see cref="Default"/>).</summary>
    public const string SnapshotsVariable = ReproSettings.SnapshotsVariable;

    /// <summary>A store rooted at <paramref name="root"/>, created on the first write.</summary>
    /// <exception cref="ReproException">The root, or a folder above it, is a file; or the path is not a valid path.</exception>
    public BaselineStore(string root) : this(root, null) { }

    // The label names where the root came from ("--snapshots 'x'", "REPRO_SNAPSHOTS='x'"), so the message points at what to fix.
    internal BaselineStore(string root, string? label)
    {
        ArgumentNullException.ThrowIfNull(root);
        label ??= $"The snapshots folder '{root}'";
        try { Root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root)); }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new ReproException($"{label} is not a valid path ({ex.Message}); pass a folder such as snapshots.", ex);
        }
        for (var path = Root; path is not null; path = Path.GetDirectoryName(path))
        {
            if (Directory.Exists(path)) break;
            if (File.Exists(path))
                throw new ReproException(path == Root
                    ? $"{label} is a file; baselines live in a folder. Pass a folder (it is created when missing), e.g. snapshots."
                    : $"{label} lies under {path}, which is a file, so the folder cannot be created. Pass a folder path whose parents are folders.");
        }
    }

    public string Root { get; }

    /// <summary>
    /// REPRO_SNAPSHOTS, else the snapshots folder this build was made from (ReproSnapshotsDir), else
    /// ./snapshots below the Repro repository or the current folder.
    /// </summary>
    public static BaselineStore Default()
    {
        var configured = ReproSettings.SnapshotsDirectory;
        if (!string.IsNullOrWhiteSpace(configured)) return new BaselineStore(configured, ReproSettings.SnapshotsDirectoryFromCode ? $"ReproSettings.SnapshotsDirectory='{configured}'" : $"{SnapshotsVariable}='{configured}'");
        // The built folder need not exist yet (a project's first run creates it), but the folder holding it
        // must: a build copied to another machine (a self-contained publish) names a path of the machine
        // it was built on.
        if (Native.BuildFacts.SnapshotsDir is { } built && Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(built)) is { } parent && Directory.Exists(parent))
            return new BaselineStore(built);
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
            if (Directory.Exists(Path.Combine(dir.FullName, "snapshots")) && File.Exists(Path.Combine(dir.FullName, "Repro.sln")))
                return new BaselineStore(Path.Combine(dir.FullName, "snapshots"));
        return new BaselineStore(Path.Combine(Directory.GetCurrentDirectory(), "snapshots"));
    }

    public string VerifiedPath(string key, string test) => PathOf(key, test, VerifiedSuffix);

    public string ReceivedPath(string key, string test) => PathOf(key, test, ReceivedSuffix);

    public string DiffPath(string key, string test) => PathOf(key, test, DiffSuffix);

    // Every file the store reads, writes or deletes is named here: a safe key and test, and no folder on
    // the way that is a link leading out of the root (Repro would otherwise write and delete there).
    internal string PathOf(string key, string test, string suffix) =>
        Paths.RequireInside(Path.Combine(Root, SafeNames.CheckKey(key), CheckTestName(test) + suffix), Root, "the snapshots folder");

    /// <summary>
    /// The verified baseline, or null when none exists; a damaged file is an error naming it. For a key that
    /// shares another key's baseline (<c>.alias.json</c>) it is that baseline's numbers with this key's own
    /// key, environment, approval and origin.
    /// </summary>
    public BaselineFile? ReadVerified(string key, string test)
    {
        var verified = VerifiedPath(key, test);
        var alias = AliasPath(key, test);
        if (File.Exists(alias))
        {
            if (File.Exists(verified))
                throw new ReproException($"{key} has both {verified} and {alias}, so its baseline is ambiguous. Keep one: delete the alias to keep the copy, " +
                    "or the copy to share the other key's baseline.");
            return Resolve(ReadAlias(alias), alias);
        }
        return ReadIfExists(verified, key, test);
    }

    public BaselineFile? ReadReceived(string key, string test) => ReadIfExists(ReceivedPath(key, test), key, test);

    /// <summary>Parses a baseline file, refusing damaged or foreign ones with the file's name and the fix.</summary>
    public static BaselineFile Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Parse(SafeFile.ReadAllText(path, "Baseline"), path);
    }

    /// <summary>Parses baseline JSON that came from <paramref name="where"/> (a path, or a file inside an artifact).</summary>
    internal static BaselineFile Parse(string json, string where)
    {
        int? schema = null;
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("schemaVersion", out var version) && version.ValueKind == JsonValueKind.Number && version.TryGetInt32(out var v))
                schema = v;
        }
        catch (JsonException ex)
        {
            throw new ReproException($"Baseline {where} is not valid JSON ({ex.Message}); it may be truncated or hand-edited. Restore it with 'git checkout -- \"{where}\"', " +
                "or delete it and approve a new run.", ex);
        }
        if (schema is not (1 or BaselineSeal.UnsealedSchemaVersion or BaselineFile.CurrentSchemaVersion))
            throw new ReproException($"Baseline {where} has schema version {(schema?.ToString() ?? "(missing)")}, but this Repro reads versions 1 to {BaselineFile.CurrentSchemaVersion}. " +
                "Restore the file from git, or re-create it with this version (run the check, then 'repro approve').");
        BaselineFile file;
        try
        {
            if (schema == 1) json = SchemaV1.Upgrade(System.Text.Json.Nodes.JsonNode.Parse(json)!).ToJsonString(ReproJson.Options);
            file = ReproJson.Deserialize<BaselineFile>(json);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException or OverflowException)
        {
            throw new ReproException($"Baseline {TerminalText.Escape(where)} does not match schema version {schema} ({TerminalText.Escape(ex.Message)}). " +
                $"Restore it with 'git checkout -- \"{TerminalText.Escape(where)}\"', or delete it and approve a new run.", ex);
        }
        if (schema != 1 && schema != file.SchemaVersion)
            throw new ReproException($"Baseline {TerminalText.Escape(where)} names schema version {schema} twice with different values; it was hand-edited. Restore it from git, or re-run the check.");
        // The whole document first, so a null entry is named instead of crashing a reader; then the seal.
        return BaselineSeal.Verify(BaselineValidation.Check(file, where), where);
    }

    /// <summary>Environment keys that hold a verified baseline of this test (their own, or shared through an alias).</summary>
    public IReadOnlyList<string> KeysWith(string test)
    {
        if (!Directory.Exists(Root)) return [];
        return [.. new[] { VerifiedSuffix, AliasSuffix }
            .SelectMany(suffix => Directory.EnumerateFiles(Root, CheckTestName(test) + suffix, Walk))
            .Select(p => Path.GetRelativePath(Root, Path.GetDirectoryName(p)!).Replace('\\', '/'))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)];
    }

    /// <summary>
    /// The readable verified baselines of one test under every key (but <paramref name="exceptKey"/>).
    /// A damaged baseline of another key is skipped here: its own check reports it.
    /// </summary>
    public IEnumerable<BaselineFile> VerifiedOf(string test, string? exceptKey = null)
    {
        foreach (var key in KeysWith(test).Where(k => k != exceptKey))
        {
            BaselineFile? file;
            try { file = ReadVerified(key, test); }
            catch (ReproException) { continue; }
            if (file is not null) yield return file;
        }
    }

    /// <summary>All verified baselines under the root, as (key, test), aliases included.</summary>
    public IReadOnlyList<(string Key, string Test)> AllVerified() => [.. List(VerifiedSuffix).Concat(List(AliasSuffix)).Distinct().Order()];

    /// <summary>All received files under the root, as (key, test).</summary>
    public IReadOnlyList<(string Key, string Test)> Received() => List(ReceivedSuffix);

    IReadOnlyList<(string Key, string Test)> List(string suffix)
    {
        if (!Directory.Exists(Root)) return [];
        return [.. Directory.EnumerateFiles(Root, "*" + suffix, Walk)
            .Select(p => (Key: Path.GetRelativePath(Root, Path.GetDirectoryName(p)!).Replace('\\', '/'), Test: Path.GetFileName(p)[..^suffix.Length]))
            // A file whose folder or name is no valid key or test is not a baseline (a planted or foreign file).
            .Where(f => SafeNames.IsSafe(f.Test) && IsKey(f.Key))
            .Order()];
    }

    // Links are not followed while listing (a link back to its own folder would never end) and keys are
    // two folders deep, so the walk stops well below any real depth.
    internal static readonly EnumerationOptions Walk = new()
    {
        RecurseSubdirectories = true, MaxRecursionDepth = 4, AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = true,
    };

    static bool IsKey(string key)
    {
        try { SafeNames.CheckKey(key); return true; }
        catch (ReproException) { return false; }
    }

    internal void WriteReceived(BaselineFile run, string? diff)
    {
        // On CI the received file says which run made it: it travels as an artifact to a reviewer.
        run = run with { Origin = run.Origin ?? RunOrigin.Capture() };
        AtomicFile.WriteAllText(ReceivedPath(run.Key, run.Test), BaselineSeal.ToJson(run));
        var diffPath = DiffPath(run.Key, run.Test);
        if (diff is not null) AtomicFile.WriteAllText(diffPath, diff);
        else if (File.Exists(diffPath)) File.Delete(diffPath);
    }

    /// <summary>Writes a calibrated run (with its noise envelope) as this key's received file, for approval.</summary>
    public string WriteCalibration(BaselineFile calibrated)
    {
        if (calibrated.Envelope is null) throw new ReproException("A calibration result needs a noise envelope; run 'repro calibrate'.");
        WriteReceived(calibrated, null);
        return ReceivedPath(calibrated.Key, calibrated.Test);
    }

    /// <summary>The exact files a received run consists of: the run, its diff and its report (HTML and Markdown).</summary>
    internal static readonly string[] ReceivedSuffixes = [ReceivedSuffix, DiffSuffix, ".received.report.html", ".received.report.md"];

    /// <summary>
    /// Removes the received run and what Repro wrote beside it, by exact name only: another test's committed
    /// <c>{test}.received.bar.verified.json</c> shares the prefix and is not Repro's to delete.
    /// </summary>
    internal void DeleteReceived(string key, string test)
    {
        foreach (var suffix in ReceivedSuffixes)
        {
            var path = PathOf(key, test, suffix);
            if (File.Exists(path) || new FileInfo(path).LinkTarget is not null) File.Delete(path);
        }
    }

    BaselineFile? ReadIfExists(string path, string key, string test)
    {
        var file = ReadIfExists(path);
        if (file is not null && (file.Key != key || file.Test != test))
            throw new ReproException($"{TerminalText.Escape(path)} records key {TerminalText.Escape(file.Key)} and test {TerminalText.Escape(file.Test)}, " +
                $"not the key and test of its folder and name; it was moved, copied or edited. Restore it with 'git checkout -- \"{TerminalText.Escape(path)}\"', " +
                $"or delete it and approve a run for {key}.");
        return file;
    }

    BaselineFile? ReadInStore(string path) => Parse(SafeFile.ReadAllText(path, "Baseline", inside: Root), path);

    BaselineFile? ReadIfExists(string path)
    {
        // A folder where the file belongs would otherwise read as "no baseline" and a received file would
        // be written beside it; approving would then fail half-way.
        if (Directory.Exists(path))
            throw new ReproException($"{path} is a folder, where the baseline file should be. Remove or rename that folder (restore the file with 'git checkout -- \"{path}\"' if it was committed).");
        return File.Exists(path) || new FileInfo(path).LinkTarget is not null ? ReadInStore(path) : null;
    }

    /// <summary>Refuses a test name that cannot name a baseline file (outside <see cref="SafeNames"/>' character set or too long).</summary>
    internal static string CheckTestName(string test) => SafeNames.CheckTest(test);
}
