using System.Text.Json;

namespace Repro;

/// <summary>A checkpoint read from disk whose tensors file matched its manifest.</summary>
internal sealed record LoadedCheckpoint(string Folder, CheckpointManifest Manifest, IReadOnlyDictionary<string, SafeTensor> Tensors);

// Reads a checkpoint folder and refuses, naming it, anything that is not a complete checkpoint of
// this format: a missing or unparsable manifest, another format or schema, a tensors file whose
// length or hash differs from the manifest's (a torn write or a truncated copy).
internal static class CheckpointReader
{
    internal static LoadedCheckpoint Read(string folder)
    {
        var manifest = ReadManifest(folder);
        var tensorsPath = Path.Combine(folder, manifest.Tensors.File);
        if (manifest.Tensors.File != CheckpointFolder.TensorsFile || !File.Exists(tensorsPath))
            throw Damaged(folder, $"its tensors file {manifest.Tensors.File} is missing");
        // One byte over the recorded length is enough to tell a longer file; nothing larger is ever read.
        var bytes = SafeFile.ReadAllBytes(tensorsPath, "Checkpoint tensors file", inside: folder, maxBytes: Math.Clamp(manifest.Tensors.Bytes + 1, 1, Array.MaxLength));
        if (bytes.LongLength != manifest.Tensors.Bytes)
            throw Damaged(folder, $"{manifest.Tensors.File} has {bytes.LongLength} bytes but the manifest says {manifest.Tensors.Bytes} (a torn write or a truncated copy)");
        if (CheckpointFolder.HashFile(bytes) != manifest.Tensors.XxHash128)
            throw Damaged(folder, $"the bytes of {manifest.Tensors.File} do not match the manifest's hash (changed or corrupted after it was written)");
        if (manifest.Tensors.Sha256 is { } sha256 && ContentDigest.Of(bytes) != sha256)
            throw Damaged(folder, $"the bytes of {manifest.Tensors.File} do not match the manifest's SHA-256 (replaced after it was written)");
        var file = SafeTensors.Parse(tensorsPath, bytes);
        return new LoadedCheckpoint(folder, manifest, file.Tensors.ToDictionary(t => t.Name, StringComparer.Ordinal));
    }

    /// <summary>The manifest alone (what a resume would continue), refused like <see cref="Read"/> when damaged.</summary>
    internal static CheckpointManifest ReadManifest(string folder)
    {
        var manifestPath = Path.Combine(folder, CheckpointFolder.ManifestFile);
        if (!File.Exists(manifestPath))
            throw Damaged(folder, $"it has no {CheckpointFolder.ManifestFile}");
        var text = SafeFile.ReadAllText(manifestPath, "Checkpoint manifest", inside: folder);
        try
        {
            using (var document = JsonDocument.Parse(text))
            {
                var root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object
                    || !root.TryGetProperty("format", out var format) || format.ValueKind != JsonValueKind.String || format.GetString() != CheckpointManifest.FormatName)
                    throw Damaged(folder, $"{CheckpointFolder.ManifestFile} is not a Repro checkpoint manifest (no \"format\": \"{CheckpointManifest.FormatName}\")");
                if (!root.TryGetProperty("schemaVersion", out var schema) || schema.ValueKind != JsonValueKind.Number || !schema.TryGetInt32(out var version))
                    throw Damaged(folder, $"{CheckpointFolder.ManifestFile} has no schemaVersion");
                if (version < CheckpointManifest.OldestReadableSchemaVersion || version > CheckpointManifest.CurrentSchemaVersion)
                    throw new ReproException($"Checkpoint {folder} has schema version {version}; " +
                        $"this Repro reads schemas {CheckpointManifest.OldestReadableSchemaVersion} to {CheckpointManifest.CurrentSchemaVersion}. Resume it with the Repro version that wrote it, " +
                        "or start the training again.");
            }
            return CheckpointSeal.Verify(ReproJson.Deserialize<CheckpointManifest>(text), folder);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            throw Damaged(folder, $"{CheckpointFolder.ManifestFile} is not valid ({ex.Message})");
        }
    }

    internal static ReproException Damaged(string folder, string problem)
    {
        var full = Path.GetFullPath(folder);
        var root = Path.GetDirectoryName(full);
        var all = root is null || !Directory.Exists(root) ? [] : CheckpointFolder.List(root).ToList();
        var index = all.IndexOf(full);
        var earlier = index > 0 ? all[index - 1] : null;
        return new ReproException($"Checkpoint {full} is damaged: {problem}. It will not be resumed. Delete it and resume from " +
            (earlier is not null ? $"the checkpoint before it (--resume {earlier})" : "scratch (no earlier checkpoint is beside it)") + ".");
    }
}
