namespace Repro;

// A checkpoint manifest holds what a resume continues from (the epochs' metrics, the optimizer's step
// count, whether training had stopped); the tensors file is hashed, but until schema 3 the manifest
// itself was not, so one edited digit resumed silently with wrong numbers. Schema 3 seals it.
internal static class CheckpointSeal
{
    internal static CheckpointManifest Seal(CheckpointManifest manifest)
    {
        var open = manifest with { Digest = null, SchemaVersion = CheckpointManifest.SealedSchemaVersion };
        return open with { Digest = DigestOf(open) };
    }

    static string DigestOf(CheckpointManifest manifest) => ContentDigest.Of(ReproJson.Serialize(manifest with { Digest = null }));

    /// <summary>The manifest, refused (naming what a change there would have done) unless its digest matches and its values are in range.</summary>
    internal static CheckpointManifest Verify(CheckpointManifest manifest, string folder)
    {
        if (Problem(manifest) is { } problem)
            throw CheckpointReader.Damaged(folder, $"{CheckpointFolder.ManifestFile} is invalid at {problem}");
        if (manifest.SchemaVersion < CheckpointManifest.SealedSchemaVersion) return manifest;
        if (string.IsNullOrEmpty(manifest.Digest))
            throw CheckpointReader.Damaged(folder, $"{CheckpointFolder.ManifestFile} is schema {manifest.SchemaVersion} but has no digest (edited after it was written)");
        if (DigestOf(manifest) != manifest.Digest)
            throw CheckpointReader.Damaged(folder, $"{CheckpointFolder.ManifestFile} does not match its digest: a value in it (an epoch's metric, optimizer.reproAdamWSteps, position.stopped, " +
                "...) was changed after it was written");
        if (manifest.Tensors.Sha256 is null)
            throw CheckpointReader.Damaged(folder, $"{CheckpointFolder.ManifestFile} is schema {manifest.SchemaVersion} but does not bind its tensors file's SHA-256");
        return manifest;
    }

    static string? Problem(CheckpointManifest m)
    {
        if (m.Position is null) return "position: null";
        if (m.Position.Epoch < 1 || m.Position.StepInEpoch < 0 || m.Position.Steps < 0 || m.Position.OptimizerSteps < 0) return "position: a negative or zero count";
        if (m.Optimizer is null) return "optimizer: null";
        if (m.Optimizer.ReproAdamWSteps < 0) return $"optimizer.reproAdamWSteps: {m.Optimizer.ReproAdamWSteps} is negative";
        if (m.Tensors is null) return "tensors: null";
        if (m.Tensors.Bytes < 0) return "tensors.bytes: negative";
        if (m.Epochs is null) return "epochs: null";
        var expected = m.Position.EndOfEpoch ? m.Position.Epoch : m.Position.Epoch - 1;
        if (m.Epochs.Count != expected) return $"epochs: {m.Epochs.Count} recorded, but the position says {expected} finished";
        for (var i = 0; i < m.Epochs.Count; i++)
        {
            var e = m.Epochs[i];
            if (e is null) return $"epochs[{i}]: null";
            if (e.Epoch != i + 1) return $"epochs[{i}].epoch: {e.Epoch}";
            if (e.Metrics is null || e.BatchOrderHash is null) return $"epochs[{i}]: null metrics or batchOrderHash";
            foreach (var (name, value) in e.Metrics)
                if (!double.IsFinite(value)) return $"epochs[{i}].metrics.{TerminalText.Escape(name)}: {value} is not finite";
        }
        if (m.CheckValues is null) return "checkValues: null";
        if (m.EpochSums is { } sums && sums.Any(s => s is null)) return "epochSums: a null entry";
        return null;
    }
}
