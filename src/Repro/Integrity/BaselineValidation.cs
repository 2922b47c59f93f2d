using System.Text.Json;

namespace Repro;

// The whole document is checked before anything trusts it (before training, comparing or approving):
// a null entry, an out-of-range count or a non-finite number is refused naming its JSON path, so no
// reader of a baseline later meets a NullReferenceException or a nonsense epoch.
internal static class BaselineValidation
{
    internal const int MaxEpochs = 100_000;
    internal const int MaxTensors = 1_000_000;
    internal const int MaxMetrics = 10_000;

    internal static BaselineFile Check(BaselineFile file, string where)
    {
        var problem = FirstProblem(file);
        if (problem is not null)
            throw new ReproException($"Baseline {TerminalText.Escape(where)} is invalid at {problem}; it was hand-edited or damaged. " +
                $"Restore it with 'git checkout -- \"{TerminalText.Escape(where)}\"', or delete it and approve a new run.");
        return file;
    }

    static string? FirstProblem(BaselineFile file)
    {
        if (!SafeNames.IsSafe(file.Test)) return $"test: '{TerminalText.Escape(file.Test)}' is not a safe test name ({SafeNames.Charset}, at most {SafeNames.MaxLength})";
        if (!IsKey(file.Key)) return $"key: '{TerminalText.Escape(file.Key)}' is not an environment key";
        if (file.Config.ValueKind != JsonValueKind.Object) return $"config: an object was expected, not {file.Config.ValueKind.ToString().ToLowerInvariant()}";
        if (file.Environment is null) return "environment: missing";
        if (file.Environment.Device is not ("cpu" or "cuda")) return $"environment.device: '{TerminalText.Escape(file.Environment.Device)}' is not cpu or cuda";
        if (file.Environment.IntraOpThreads is < 1 or > 4096) return $"environment.intraOpThreads: {file.Environment.IntraOpThreads} is out of range";
        return Fingerprint(file.Fingerprint, "fingerprint") ?? Envelope(file.Envelope);
    }

    internal static string? Fingerprint(TrainingFingerprint? f, string at)
    {
        if (f is null) return $"{at}: missing";
        if (string.IsNullOrEmpty(f.Name)) return $"{at}.name: empty";
        if (string.IsNullOrEmpty(f.Device)) return $"{at}.device: empty";
        if (f.ConfiguredEpochs is < 1 or > MaxEpochs) return $"{at}.configuredEpochs: {f.ConfiguredEpochs} is not between 1 and {MaxEpochs}";
        if (f.Epochs is null) return $"{at}.epochs: missing";
        if (f.Epochs.Count > f.ConfiguredEpochs) return $"{at}.epochs: {f.Epochs.Count} epochs, more than configuredEpochs {f.ConfiguredEpochs}";
        HashSet<string>? names = null;
        for (var i = 0; i < f.Epochs.Count; i++)
        {
            var e = f.Epochs[i];
            var here = $"{at}.epochs[{i}]";
            if (e is null) return $"{here}: null";
            if (e.Epoch != i + 1) return $"{here}.epoch: {e.Epoch}, but entry {i} is epoch {i + 1}";
            if (e.BatchOrderHash is null) return $"{here}.batchOrderHash: null";
            if (Metrics(e.Metrics, here + ".metrics") is { } bad) return bad;
            names ??= [.. e.Metrics.Keys];
            if (e.Metrics.Count != names.Count || !e.Metrics.Keys.All(names.Contains)) return $"{here}.metrics: other metric names than epoch 1's";
        }
        if (f.BestEpoch is { } best && (best < 1 || best > f.Epochs.Count)) return $"{at}.bestEpoch: {best} is not one of the {f.Epochs.Count} recorded epochs";
        if (f.Tensors is null) return $"{at}.tensors: missing";
        if (f.Tensors.Count > MaxTensors) return $"{at}.tensors: {f.Tensors.Count} entries, more than {MaxTensors}";
        for (var i = 0; i < f.Tensors.Count; i++)
        {
            var t = f.Tensors[i];
            var here = $"{at}.tensors[{i}]";
            if (t is null) return $"{here}: null";
            if (string.IsNullOrEmpty(t.Name)) return $"{here}.name: empty";
            if (t.Kind is null || t.DType is null || t.Hash is null) return $"{here}: kind, dType or hash is null";
            if (t.Shape is null) return $"{here}.shape: null";
            if (t.Shape.Any(d => d < 0)) return $"{here}.shape: a negative size";
        }
        if (f.OptimizerSteps < 0) return $"{at}.optimizerSteps: {f.OptimizerSteps} is negative";
        if (f.Final is null) return $"{at}.final: null";
        if (Metrics(f.Final, at + ".final") is { } final) return final;
        if (f.LegacyHashes is { } legacy && (legacy.Tensors is null || legacy.Tensors.Any(h => h is null))) return $"{at}.legacyHashes.tensors: null entries";
        if (f.TrainingThreads is < 1) return $"{at}.trainingThreads: {f.TrainingThreads} is out of range";
        return null;
    }

    static string? Metrics(IReadOnlyDictionary<string, double>? metrics, string at)
    {
        if (metrics is null) return $"{at}: null";
        if (metrics.Count > MaxMetrics) return $"{at}: {metrics.Count} metrics, more than {MaxMetrics}";
        foreach (var (name, value) in metrics)
        {
            if (string.IsNullOrEmpty(name)) return $"{at}: an empty metric name";
            if (!double.IsFinite(value)) return $"{at}.{TerminalText.Escape(name)}: {value} is not a finite number";
        }
        return null;
    }

    static string? Envelope(NoiseEnvelope? envelope)
    {
        if (envelope is null) return null;
        if (envelope.Metrics is null) return "envelope.metrics: null";
        if (envelope.Runs < 2) return $"envelope.runs: {envelope.Runs} (a calibration needs at least 2)";
        if (!double.IsFinite(envelope.Widening) || envelope.Widening < 0) return $"envelope.widening: {envelope.Widening} is out of range";
        foreach (var (name, bands) in envelope.Metrics)
        {
            if (bands is null || bands.Any(b => b is null || !double.IsFinite(b.Min) || !double.IsFinite(b.Max) || b.Min > b.Max))
                return $"envelope.metrics.{TerminalText.Escape(name)}: a null or inverted band";
        }
        return null;
    }

    static bool IsKey(string? key)
    {
        try { SafeNames.CheckKey(key); return true; }
        catch (ReproException) { return false; }
    }
}
