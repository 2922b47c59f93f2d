namespace Repro;

/// <summary>Compares a run's fingerprint with a baseline's, metric by metric and tensor by tensor.</summary>
internal static partial class FingerprintComparer
{
    /// <summary>
    /// Compares a received run (its fingerprint and config) with <paramref name="baseline"/>; a configuration
    /// change is reported setting by setting (<see cref="ComparisonResult.ConfigChanges"/>).
    /// </summary>
    public static ComparisonResult Compare(BaselineFile baseline, BaselineFile current, ComparisonOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(current);
        var result = Compare(baseline, current.Fingerprint, options);
        if (!result.ConfigChanged) return result;
        var changes = SettingsDifference.Between(baseline.Config, current.Config);
        return result with { ConfigChanges = changes, FirstMovedState = WithConfigChange(result.FirstMovedState, changes) };
    }

    /// <summary>
    /// Compares a run's fingerprint with <paramref name="baseline"/>; without the run's config a configuration
    /// change is reported by its hash alone (pass the received <see cref="BaselineFile"/> to name the settings).
    /// </summary>
    public static ComparisonResult Compare(BaselineFile baseline, TrainingFingerprint current, ComparisonOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(current);
        // The run's own declaration wins: it is the code under test; a baseline alone cannot loosen a check.
        options ??= current.Comparison ?? ComparisonOptions.Exact;
        var expected = baseline.Fingerprint;
        var envelope = options.UseEnvelope ? baseline.Envelope : null;
        RefuseUnknownTolerances(options, expected, current);
        var (differences, missing, added) = CompareMetrics(expected, current, options, envelope);
        var hashesEnforced = options.IsExact && envelope is null;
        var tensors = CompareTensors(expected, current);
        var structural = Join(
            expected.Epochs.Count != current.Epochs.Count ? $"the baseline has {expected.Epochs.Count} epochs, this run {current.Epochs.Count}" : null,
            missing.Count > 0 || added.Count > 0
                ? "the metrics differ" + (missing.Count > 0 ? $" (missing in this run: {string.Join(", ", missing)})" : "") +
                    (added.Count > 0 ? $" (new in this run: {string.Join(", ", added)})" : "")
                : null,
            tensors.NameDifference,
            tensors.CurrentHashes is null && hashesEnforced
                ? $"the baseline's tensor hashes are {tensors.Kind} and this run has none of that kind (it hashed with {current.EffectiveHashKind}); " +
                    $"re-run the check (runs record {tensors.Kind} hashes while TensorHashKinds.RecordLegacyHashes is on) or approve this run"
                : null);
        var epochs = Math.Min(expected.Epochs.Count, current.Epochs.Count);
        var reordered = FirstEpoch(expected, epochs, e => expected.Epochs[e].BatchOrderHash != current.Epochs[e].BatchOrderHash);
        var consumedReordered = FirstEpoch(expected, epochs, e => expected.Epochs[e].ConsumedOrderHash != current.Epochs[e].ConsumedOrderHash);
        var passed = differences.Count == 0 && structural is null && reordered is null
            && expected.DataHash == current.DataHash && (!hashesEnforced || !tensors.Differ);
        var configChanged = expected.ConfigHash != current.ConfigHash;
        return new ComparisonResult
        {
            Passed = passed,
            Differences = [.. differences.OrderBy(d => d.Epoch ?? int.MaxValue)],
            MovedTensors = tensors.Moved,
            FirstReorderedEpoch = reordered,
            FirstConsumedReorderedEpoch = consumedReordered,
            DataChanged = expected.DataHash != current.DataHash,
            ConfigChanged = configChanged,
            InitialWeightsChanged = tensors.InitialWeightsChanged,
            StructuralDifference = structural,
            HashesEnforced = hashesEnforced,
            FirstMovedState = configChanged ? WithConfigChange(TraceComparison.FirstMoved(expected, current), []) : TraceComparison.FirstMoved(expected, current),
            TrainingThreadsChanged = expected.TrainingThreads is { } baselineThreads && current.TrainingThreads is { } currentThreads && baselineThreads != currentThreads
                ? new ThreadCountChange(baselineThreads, currentThreads)
                : null,
        };
    }

    static string? Join(params string?[] parts) => parts.Any(p => p is not null) ? string.Join("; ", parts.Where(p => p is not null)) : null;

    static int? FirstEpoch(TrainingFingerprint expected, int epochs, Func<int, bool> differs)
    {
        for (var e = 0; e < epochs; e++)
            if (differs(e)) return expected.Epochs[e].Epoch;
        return null;
    }

    // With other settings, whatever moved first moved because of them: never a kernel, library or code change.
    static MovedState? WithConfigChange(MovedState? moved, IReadOnlyList<SettingChange> changes) =>
        moved is null ? null : moved with { Meaning = "the configuration changed (" + (changes.Count == 0 ? "its config hash differs from the baseline's" : string.Join("; ", changes)) + ")" };

    // A tolerance for a metric neither run reports is a typo that would silently compare exactly.
    static void RefuseUnknownTolerances(ComparisonOptions options, TrainingFingerprint expected, TrainingFingerprint current)
    {
        var known = MetricSeries.EpochMetrics(expected).Concat(MetricSeries.FinalMetrics(expected))
            .Concat(MetricSeries.EpochMetrics(current)).Concat(MetricSeries.FinalMetrics(current))
            .Distinct(StringComparer.Ordinal).ToList();
        var unknown = options.Tolerances.Keys.Where(name => !known.Contains(name, StringComparer.Ordinal)).ToList();
        if (unknown.Count > 0)
            throw new ReproException($"A tolerance names {string.Join(", ", unknown.Select(n => $"'{n}'"))}, which this check does not report. Its metrics are: {string.Join(", ", known)}.");
    }

    static string FirstNameDifference(List<string> expected, List<string> current)
    {
        for (var i = 0; i < Math.Max(expected.Count, current.Count); i++)
        {
            var a = i < expected.Count ? expected[i] : "(none)";
            var b = i < current.Count ? current[i] : "(none)";
            if (a != b) return $"#{i}: {a} vs {b}";
        }
        return "none";
    }
}
