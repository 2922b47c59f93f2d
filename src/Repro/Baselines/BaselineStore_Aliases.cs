namespace Repro;

internal sealed partial class BaselineStore
{
    public const string AliasSuffix = ".alias.json";

    /// <summary><c>{root}/{key}/{test}.alias.json</c>: present when this key shares another key's baseline.</summary>
    public string AliasPath(string key, string test) => Path.Combine(Root, EnvironmentKey.Validate(key), CheckTestName(test) + AliasSuffix);

    /// <summary>
    /// The file that holds this key's baseline numbers: its own <c>.verified.json</c>, or for a key that
    /// shares another key's baseline, that key's. Null when the key has no baseline of the test.
    /// </summary>
    public string? BaselinePath(string key, string test)
    {
        var alias = AliasPath(key, test);
        if (File.Exists(alias)) return VerifiedPath(ReadAlias(alias).AliasOf, test);
        var verified = VerifiedPath(key, test);
        return File.Exists(verified) ? verified : null;
    }

    /// <summary>The key whose baseline this key shares, or null when it has its own (or none).</summary>
    public string? AliasOf(string key, string test)
    {
        var alias = AliasPath(key, test);
        return File.Exists(alias) ? ReadAlias(alias).AliasOf : null;
    }

    internal static BaselineAlias ReadAlias(string path)
    {
        BaselineAlias alias;
        try
        {
            alias = ReproJson.Deserialize<BaselineAlias>(SafeFile.ReadAllText(path, "Alias"));
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or InvalidOperationException)
        {
            throw new ReproException($"Alias {path} is not a valid alias file ({ex.Message}). Restore it with 'git checkout -- \"{path}\"', or delete it and approve a run for its key.", ex);
        }
        catch (IOException ex)
        {
            throw new ReproException($"Cannot read alias {path}: {ex.Message}", ex);
        }
        if (alias.SchemaVersion is not (1 or BaselineAlias.CurrentSchemaVersion))
            throw new ReproException($"Alias {path} has version {alias.SchemaVersion}, but this Repro reads versions 1 and {BaselineAlias.CurrentSchemaVersion}. Restore it from git, " +
                "or delete it and approve a run for its key.");
        BaselineAliasSeal.Verify(alias, path);
        if (!SafeNames.IsSafe(alias.Test) || alias.Environment is null || string.IsNullOrEmpty(alias.FingerprintDigest))
            throw new ReproException($"Alias {TerminalText.Escape(path)} lacks a valid test, environment or fingerprintDigest; it was hand-edited. Restore it from git.");
        var folder = Path.GetDirectoryName(path)!;
        var expectedKey = Path.GetFileName(Path.GetDirectoryName(folder)) + "/" + Path.GetFileName(folder);
        if (alias.Key != expectedKey || Path.GetFileName(path) != alias.Test + AliasSuffix)
            throw new ReproException($"Alias {path} describes {alias.Key}/{alias.Test}, not the key and test of its folder and name; it was moved or edited. Restore it from git.");
        if (alias.AliasOf == alias.Key)
            throw new ReproException($"Alias {path} points to its own key. Delete it and approve a run for {alias.Key}.");
        EnvironmentKey.Validate(alias.AliasOf);
        return alias;
    }

    // The shared numbers, pinned by digest, under this key's own name and environment.
    BaselineFile Resolve(BaselineAlias alias, string aliasPath)
    {
        var targetPath = VerifiedPath(alias.AliasOf, alias.Test);
        if (!File.Exists(targetPath))
            throw new ReproException(File.Exists(AliasPath(alias.AliasOf, alias.Test))
                ? $"{aliasPath} points to {alias.AliasOf}, which is itself an alias; aliases always name the key that holds the numbers. Approve a run for {alias.Key} again to record it afresh."
                : $"{aliasPath} shares the baseline of {alias.AliasOf}, but {targetPath} does not exist. Restore it from git, or delete the alias and approve a run for {alias.Key}.");
        var target = Read(targetPath);
        var digest = FingerprintDigest.Of(target.Fingerprint);
        if (digest != alias.FingerprintDigest)
            throw new ReproException($"{aliasPath} shares the baseline of {alias.AliasOf}, but {targetPath} no longer holds the numbers the alias was recorded for (digest {Short(digest)}, " +
                $"alias {Short(alias.FingerprintDigest)}): it was changed outside 'repro approve'. Restore it from git, or run the check on {alias.Key} and approve its received file.");
        return target with { Key = alias.Key, Environment = alias.Environment, Approval = alias.Approval, Origin = alias.Origin };
    }

    static string Short(string hash) => hash.Length > 12 ? hash[..12] : hash;
}
