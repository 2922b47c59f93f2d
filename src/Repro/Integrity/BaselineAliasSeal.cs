namespace Repro;

// Alias files get the same seal as baselines (version 2): the digest of the alias as written without it.
internal static class BaselineAliasSeal
{
    internal static string ToJson(BaselineAlias alias)
    {
        var open = alias with
        {
            SchemaVersion = BaselineAlias.CurrentSchemaVersion,
            Digest = null,
            Environment = alias.Environment with { LibTorchPath = LibTorchPaths.Scrub(alias.Environment.LibTorchPath) },
        };
        return ReproJson.Serialize(open with { Digest = DigestOf(open) });
    }

    static string DigestOf(BaselineAlias alias) => ContentDigest.Of(ReproJson.Serialize(alias with { Digest = null }));

    internal static BaselineAlias Verify(BaselineAlias alias, string path)
    {
        if (alias.SchemaVersion < 2 && alias.Digest is null) return alias;
        var shown = TerminalText.Escape(path);
        if (string.IsNullOrEmpty(alias.Digest) || DigestOf(alias) != alias.Digest)
            throw new ReproException($"Alias {shown} does not match its digest: it was changed after Repro wrote it. Restore it with 'git checkout -- \"{shown}\"', " +
                "or delete it and approve a run for its key.");
        return alias;
    }
}
