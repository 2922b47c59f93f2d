namespace Repro;

/// <summary>Compares a run's fingerprint with a baseline's, metric by metric and tensor by tensor.</summary>
internal static class FingerprintComparer
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
        var differences = new List<MetricDifference>();

        var epochs = Math.Min(expected.Epochs.Count, current.Epochs.Count);
        var missing = new List<string>();
        for (var e = 0; e < epochs; e++)
            foreach (var (metric, value) in expected.Epochs[e].Metrics)
            {
                if (current.Epochs[e].Metrics.TryGetValue(metric, out var now)) Check(metric, e, expected.Epochs[e].Epoch, value, now);
                else if (!missing.Contains(metric)) missing.Add(metric);
            }
        foreach (var (metric, value) in expected.Final)
        {
            if (current.Final.TryGetValue(metric, out var now)) Check(metric, 0, null, value, now);
            else if (!missing.Contains(metric)) missing.Add(metric);
        }
        var added = MetricSeries.EpochMetrics(current).Concat(current.Final.Keys)
            .Where(m => !MetricSeries.EpochMetrics(expected).Contains(m) && !expected.Final.ContainsKey(m)).ToList();

        string? structural = null;
        if (expected.Epochs.Count != current.Epochs.Count)
            structural = $"the baseline has {expected.Epochs.Count} epochs, this run {current.Epochs.Count}";
        if (missing.Count > 0 || added.Count > 0)
            structural = (structural is null ? "" : structural + "; ") + "the metrics differ" +
                (missing.Count > 0 ? $" (missing in this run: {string.Join(", ", missing)})" : "") +
                (added.Count > 0 ? $" (new in this run: {string.Join(", ", added)})" : "");
        var expectedNames = expected.Tensors.Select(t => t.Name).ToList();
        var currentNames = current.Tensors.Select(t => t.Name).ToList();
        if (!expectedNames.SequenceEqual(currentNames, StringComparer.Ordinal))
            structural = (structural is null ? "" : structural + "; ") +
                $"the model's tensors differ (baseline {expectedNames.Count}, this run {currentNames.Count}; first difference: {FirstNameDifference(expectedNames, currentNames)})";

        // Tensor hashes compare under the baseline's definition: a run records its hashes under the
        // current one and, while older baselines exist, under xxh128 too.
        var kind = expected.EffectiveHashKind;
        var expectedHashes = expected.HashesIn(kind)!;
        var currentHashes = current.HashesIn(kind);
        var hashesEnforced = options.IsExact && envelope is null;
        if (currentHashes is null && hashesEnforced)
            structural = (structural is null ? "" : structural + "; ") +
                $"the baseline's tensor hashes are {kind} and this run has none of that kind (it hashed with {current.EffectiveHashKind}); " +
                    $"re-run the check (runs record {kind} hashes while TensorHashKinds.RecordLegacyHashes is on) or approve this run";
        var currentByName = new Dictionary<string, string>(StringComparer.Ordinal);
        if (currentHashes is not null)
            for (var i = 0; i < current.Tensors.Count; i++) currentByName.TryAdd(current.Tensors[i].Name, currentHashes.Tensors[i]);
        var moved = currentHashes is null ? [] : expected.Tensors
            .Select((t, i) => (t.Name, Hash: expectedHashes.Tensors[i]))
            .Where(t => !currentByName.TryGetValue(t.Name, out var c) || c != t.Hash)
            .Select(t => t.Name)
            .ToList();
        int? reordered = null;
        for (var e = 0; e < epochs && reordered is null; e++)
            if (expected.Epochs[e].BatchOrderHash != current.Epochs[e].BatchOrderHash) reordered = expected.Epochs[e].Epoch;

        int? consumedReordered = null;
        for (var e = 0; e < epochs && consumedReordered is null; e++)
            if (expected.Epochs[e].ConsumedOrderHash != current.Epochs[e].ConsumedOrderHash) consumedReordered = expected.Epochs[e].Epoch;

        var hashesDiffer = currentHashes is null || moved.Count > 0 || expectedHashes.ModelHash != currentHashes.ModelHash || expectedHashes.OptimizerStateHash != currentHashes.OptimizerStateHash;
        var passed = differences.Count == 0 && structural is null && reordered is null
            && expected.DataHash == current.DataHash && (!hashesEnforced || !hashesDiffer);
        var configChanged = expected.ConfigHash != current.ConfigHash;
        return new ComparisonResult
        {
            Passed = passed,
            Differences = [.. differences.OrderBy(d => d.Epoch ?? int.MaxValue)],
            MovedTensors = moved,
            FirstReorderedEpoch = reordered,
            FirstConsumedReorderedEpoch = consumedReordered,
            DataChanged = expected.DataHash != current.DataHash,
            ConfigChanged = configChanged,
            InitialWeightsChanged = currentHashes is not null && expectedHashes.InitialModelHash != currentHashes.InitialModelHash,
            StructuralDifference = structural,
            HashesEnforced = hashesEnforced,
            FirstMovedState = configChanged ? WithConfigChange(TraceComparison.FirstMoved(expected, current), []) : TraceComparison.FirstMoved(expected, current),
            TrainingThreadsChanged = expected.TrainingThreads is { } baselineThreads && current.TrainingThreads is { } currentThreads && baselineThreads != currentThreads ? new ThreadCountChange(baselineThreads, currentThreads) : null,
        };

        void Check(string metric, int index, int? epoch, double baselineValue, double currentValue)
        {
            if (envelope is not null && envelope.Metrics.ContainsKey(metric))
            {
                if (!envelope.Contains(metric, index, currentValue, out var band))
                    differences.Add(new MetricDifference(epoch, metric, baselineValue, currentValue, $"envelope [{band.Min:G6}, {band.Max:G6}] of {envelope.Runs} runs"));
                return;
            }
            var tolerance = options.For(metric);
            if (!tolerance.Accepts(baselineValue, currentValue))
                differences.Add(new MetricDifference(epoch, metric, baselineValue, currentValue, tolerance.ToString()));
        }
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
