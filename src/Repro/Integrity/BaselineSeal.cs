namespace Repro;

// Schema 3 seals a baseline or received file with the SHA-256 of its own canonical content: the
// document as Repro's JSON writer prints it without the digest field. Formatting is free (a reader
// re-serialises what it parsed), but any changed value - one digit of a metric, a relabelled key - no
// longer matches. Files of schemas 1 and 2 carry no digest and still read; they are sealed at their
// next approval.
internal static class BaselineSeal
{
    internal const int SealedSchemaVersion = 3;
    internal const int UnsealedSchemaVersion = 2;

    /// <summary>The file as written: schema 3, the libtorch path relative to a named root, and its digest.</summary>
    internal static BaselineFile Seal(BaselineFile file)
    {
        var open = file with
        {
            SchemaVersion = SealedSchemaVersion,
            Digest = null,
            Environment = file.Environment with { LibTorchPath = LibTorchPaths.Scrub(file.Environment.LibTorchPath) },
        };
        return open with { Digest = DigestOf(open) };
    }

    internal static string ToJson(BaselineFile file) => ReproJson.Serialize(Seal(file));

    internal static string DigestOf(BaselineFile file) => ContentDigest.Of(ReproJson.Serialize(file with { Digest = null }));

    /// <summary>Refuses a sealed file whose content no longer hashes to its digest (or that lost its digest).</summary>
    internal static BaselineFile Verify(BaselineFile file, string where)
    {
        // A digest is checked wherever one is present, so an edit that also lowers schemaVersion is still caught.
        if (file.SchemaVersion < SealedSchemaVersion && file.Digest is null) return file;
        var shown = TerminalText.Escape(where);
        if (string.IsNullOrEmpty(file.Digest))
            throw new ReproException($"Baseline {shown} is schema {file.SchemaVersion} but has no digest, so it was edited after Repro wrote it. Restore it with 'git checkout -- \"{shown}\"', " +
                "or re-run the check to write a fresh file.");
        var actual = DigestOf(file);
        if (!string.Equals(actual, file.Digest, StringComparison.Ordinal))
            throw new ReproException($"Baseline {shown} does not match its digest (content {ContentDigest.Short(actual)}, recorded {ContentDigest.Short(file.Digest)}): " +
                $"it was changed after Repro wrote it. Restore it with 'git checkout -- \"{shown}\"', or re-run the check to write a fresh file.");
        return file;
    }
}
