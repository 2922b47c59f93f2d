namespace Repro;

/// <summary>
/// The reproducibility doctor: trains a config twice (and on request in a second process), locates
/// the first diverging operation when runs differ, audits every determinism switch, and diffs the
/// environment against the baseline's, naming each cause it finds with the exact fix.
/// </summary>
internal static partial class Doctor
{
    /// <summary>
    /// Diagnoses the check that <paramref name="create"/> builds (called once per training: a check
    /// instance trains once); restores the determinism options applied before it.
    /// </summary>
    public static DoctorReport Diagnose(Func<TrainingCheck> create, DoctorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(create);
        options ??= new DoctorOptions();
        options.Validate();
        var previous = Determinism.Applied;
        try
        {
            using var probe = create();
            CheckValidation.Validate(probe);
            if (options.AgainstBaseline) RequireBaseline(probe, options);
            return Run(probe, create, options);
        }
        finally
        {
            if (previous is not null && !TrainingGuard.IsActive) Determinism.Apply(previous);
        }
    }

    static DoctorReport Run(TrainingCheck config, Func<TrainingCheck> create, DoctorOptions options)
    {
        var store = options.Store ?? BaselineStore.Default();
        var test = options.Test ?? config.Name;
        var evidence = new DoctorEvidence(config, create, options, store, test);
        try
        {
            if (options.RunTwice) evidence.Investigate();
        }
        catch (Exception ex) when (TrainingGuard.IsOverlap(ex))
        {
            evidence.NonDeterministic = true;
            evidence.Findings.Add(new DoctorFinding(DoctorCodes.ConcurrentTraining, FindingSeverity.Error,
                "Two trainings overlapped in one process and the training guard stopped them: libtorch's generators and determinism flags are process-wide, " +
                    "so both would have produced wrong numbers. " + ex.Message,
                "the process running the training (a test runner running tests in parallel, or training on several threads)",
                "Train sequentially: put training tests in [Collection(ReproCollection.Name)] (parallelisation off), or run separate trainings in separate processes."));
        }

        var findings = evidence.Findings;
        var state = ReadTrainingState(config);
        var environment = EnvironmentFingerprint.Capture();
        findings.AddRange(EnvironmentAudit.Findings(state, config.Determinism, options.NativeVariables, evidence.First?.Optimizer));
        if (evidence.First is { } first && RunEvidence.ThreadsDuringTraining(first, environment) is { } threads
            && !findings.Any(f => f.Code == DoctorCodes.ThreadCountSetInTraining))
            findings.Add(threads);

        if (evidence.First?.Epochs.FirstOrDefault(e => e.ConsumedPlannedSamplesReordered) is { } outOfPlan
            && !findings.Any(f => f.Code == DoctorCodes.CompletionOrderConsumption))
            findings.Add(RunEvidence.ConsumedOutOfPlan(outOfPlan));

        var (againstBaseline, baselinePath) = CompareWithBaseline(config, evidence, store, test, environment);

        var ordered = findings.OrderByDescending(f => f.Severity).ToList();
        var verdict = evidence.NonDeterministic || findings.Any(f => f.Code == DoctorCodes.NondeterministicOverTime) ? DoctorVerdict.NonDeterministic
            : ordered.Any(f => f.Severity >= FindingSeverity.Warning) ? DoctorVerdict.Warnings : DoctorVerdict.Clean;
        return new DoctorReport
        {
            Verdict = verdict,
            Check = config.Name,
            Device = state.Device,
            Findings = ordered,
            Audit = [.. EnvironmentAudit.Facts(state, environment, options.NativeVariables),
                .. evidence.First?.TrainingThreads is { } used ? [new AuditFact("intra-op threads in training", used.ToString(System.Globalization.CultureInfo.InvariantCulture))] : Array.Empty<AuditFact>()],
            InProcessIdentical = evidence.InProcess,
            CrossProcessIdentical = evidence.CrossProcess,
            Perturbations = evidence.Perturbations,
            FirstDivergence = evidence.Divergence,
            BaselinePath = baselinePath,
            MatchesBaseline = againstBaseline?.Passed,
            FirstMovedState = againstBaseline is { Passed: false } moved ? moved.FirstMovedState : null,
        };
    }

    // --against-baseline: refuse before any training when there is nothing this run can be compared with state by state.
    static void RequireBaseline(TrainingCheck check, DoctorOptions options)
    {
        var store = options.Store ?? BaselineStore.Default();
        var test = options.Test ?? check.Name;
        var environment = CaptureTrainingEnvironment(check);
        var (baseline, path, sameKey) = BaselineEnvironmentDiff.Find(store, test, environment);
        if (baseline is null || !sameKey)
            throw new ReproException("--against-baseline (DoctorOptions.AgainstBaseline): " +
                $"there is no verified baseline of '{test}' for this environment's key {environment.Key} (looked for {store.VerifiedPath(environment.Key, test)})" +
                (baseline is null ? "" : $"; the closest, {path}, was recorded under another key, whose numbers differ by their environment") +
                ". Pass the baseline's test name with --test or its store with --snapshots, or record one here from a run the doctor calls reproducible (repro check, then repro approve).");
        var (_, hash) = TrainingHarness.DescribeSettings(check);
        if (baseline.Fingerprint.ConfigHash != hash)
            throw new ReproException("--against-baseline (DoctorOptions.AgainstBaseline): " +
                $"{path} was recorded with other settings than {check.Name} has now (config hash {RunEvidence.Short(baseline.Fingerprint.ConfigHash)} vs {RunEvidence.Short(hash)}), " +
                "so its state cannot be compared with this run's. Run the doctor with the baseline's settings (its 'config' section), " +
                "or pass the test name of a baseline recorded with these settings (--test).");
    }

    // Drift, worded by how far it was settled: accepting is advised only when this run reproduced in
    // this process, in a second one and under the perturbations, and nothing else is an error.
    static DoctorFinding Drift(ComparisonResult comparison, DoctorEvidence evidence, List<DoctorFinding> findings, EnvironmentFingerprint environment, string test, string baselinePath,
        IReadOnlyList<string>? changes)
    {
        var moved = comparison.FirstMovedState is { } state ? $" First moved state: {state.Description}." : "";
        var settled = evidence.InProcess == true && evidence.CrossProcess == true && evidence.Perturbations.Any(p => p.Identical == true);
        // Drift needs a recorded change; runs that reproduce now but moved with nothing changed do not reproduce over time.
        if (changes is { Count: 0 } && evidence.InProcess == true)
            return new DoctorFinding(DoctorCodes.NondeterministicOverTime, FindingSeverity.Error,
                $"This run does not match its baseline ({comparison.Cause}){moved} although nothing that could explain it changed since the baseline was recorded: the same config, code, " +
                    "environment and native stack. Runs here agree with each other, so the training depends on something that changes over time.",
                baselinePath, RecordedChanges.OverTimeDoctorFix);
        var what = changes is { Count: > 0 } ? $" Recorded changes: {string.Join("; ", changes)}." : "";
        var blocked = findings.Any(Blocks);
        what = $"This run does not match its baseline: {comparison.Cause}.{moved}{what}" + (settled
            ? " It reproduces in this process, in a second process and under the perturbations, so this is drift (code, data or stack changed), not non-determinism."
            : evidence.InProcess == true ? " Two runs here are identical, but drift could not be told from per-process non-determinism." : "");
        var fix = settled && !blocked
            ? $"If the change is intended, accept it: {BaselineCheck.AcceptHint(environment.Key, test).Replace("\n", " ", StringComparison.Ordinal).Trim()}"
            : blocked ? "Fix the errors above first; a run that may not reproduce must not become the baseline."
            : $"Run '{ToolCommand.Name} doctor --processes --perturb' to rule out per-process and latent non-determinism before accepting.";
        return new DoctorFinding(DoctorCodes.BaselineDrift, FindingSeverity.Warning, what, baselinePath, fix);
    }

    // A finding that keeps a run from becoming a baseline: any error, and a consumed order that only
    // scheduling decided (the runs agreed, but need not next time).
    static bool Blocks(DoctorFinding finding) => finding.Severity == FindingSeverity.Error || finding.Code == DoctorCodes.CompletionOrderConsumption;

    // The switches as the training sees them: the check's options applied, then read back.
    internal static DeterminismState ReadTrainingState(TrainingCheck config)
    {
        if (TrainingGuard.IsActive) return Determinism.Read();
        Determinism.Apply(config.Determinism with { Seed = config.Seed });
        return Determinism.Read();
    }

    internal static EnvironmentFingerprint CaptureTrainingEnvironment(TrainingCheck config)
    {
        ReadTrainingState(config);
        return EnvironmentFingerprint.Capture();
    }
}
