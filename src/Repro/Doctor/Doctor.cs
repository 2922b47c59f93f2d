namespace Repro;

/// <summary>
/// The reproducibility doctor: trains a config twice (and on request in a second process), locates
/// the first diverging operation when runs differ, audits every determinism switch, and diffs the
/// environment against the baseline's, naming each cause it finds with the exact fix.
/// </summary>
public static class Doctor
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
            return Run(probe, create, options);
        }
        finally
        {
            if (previous is not null && !TrainingGuard.IsActive) Determinism.Apply(previous);
        }
    }

    static DoctorReport Run(TrainingCheck config, Func<TrainingCheck> create, DoctorOptions options)
    {
        var findings = new List<DoctorFinding>();
        TrainingFingerprint? first = null;
        bool? inProcess = null, crossProcess = null;
        FirstDivergence? divergence = null;
        var nonDeterministic = false;
        try
        {
            if (options.RunTwice)
            {
                first = TrainingHarness.Train(create()).Fingerprint;
                var second = TrainingHarness.Train(create()).Fingerprint;
                inProcess = RunEvidence.Identical(first, second);
                if (inProcess == false)
                {
                    nonDeterministic = true;
                    var finding = RunEvidence.FromFingerprints(first, second);
                    if (finding is null)
                    {
                        divergence = Localise(create, config.Epochs, first, second, options);
                        finding = RunEvidence.FromDivergence(divergence, ReadTrainingState(config));
                    }
                    findings.Add(finding);
                }
                else if (options.CrossProcess)
                {
                    var child = ChildProcessRun.Train(config, options);
                    if (child.Fingerprint.ConfigHash != first.ConfigHash)
                        throw new ReproException($"The second process trained a different config (config hash {child.Fingerprint.ConfigHash} vs {first.ConfigHash}), so the runs cannot be compared. Check that {ChildProcessRun.CliAssembly} is the same build as this process (DoctorOptions.CliPath).");
                    crossProcess = RunEvidence.Identical(first, child.Fingerprint);
                    if (crossProcess == false)
                    {
                        nonDeterministic = true;
                        var here = CaptureTrainingEnvironment(config);
                        var differences = BaselineEnvironmentDiff.Differences(child.Environment, here, "between this process and the second one").ToList();
                        findings.AddRange(differences.Count > 0 ? differences : [RunEvidence.CrossProcess(first, child.Fingerprint)]);
                    }
                }
            }
        }
        catch (Exception ex) when (TrainingGuard.IsOverlap(ex))
        {
            nonDeterministic = true;
            findings.Add(new DoctorFinding(DoctorCodes.ConcurrentTraining, FindingSeverity.Error,
                "Two trainings overlapped in one process and the training guard stopped them: libtorch's generators and determinism flags are process-wide, so both would have produced wrong numbers. " + ex.Message,
                "the process running the training (a test runner running tests in parallel, or training on several threads)",
                "Train sequentially: put training tests in [Collection(ReproCollection.Name)] (parallelisation off), or run separate trainings in separate processes."));
        }

        var state = ReadTrainingState(config);
        var environment = EnvironmentFingerprint.Capture();
        findings.AddRange(EnvironmentAudit.Findings(state, config.Determinism, options.NativeVariables));

        var store = options.Store ?? BaselineStore.Default();
        var test = options.Test ?? config.Name;
        var (baseline, baselinePath, sameKey) = BaselineEnvironmentDiff.Find(store, test, environment);
        if (baseline is null)
            findings.Add(new DoctorFinding(DoctorCodes.NoBaseline, FindingSeverity.Info,
                $"No verified baseline of '{test}' for {environment.Key} or any other {environment.Device} key, so there is no recorded environment to compare with.",
                store.Root, $"Record one: run the check ('repro check', or the test that verifies it) then 'repro approve' (or pass the baseline's test name with --test)."));
        else
        {
            findings.AddRange(BaselineEnvironmentDiff.Differences(baseline.Environment, environment, baselinePath!));
            if (sameKey && first is not null && baseline.Fingerprint.ConfigHash == first.ConfigHash && !FingerprintComparer.Compare(baseline, first).Passed)
            {
                var cause = FingerprintComparer.Compare(baseline, first).Cause;
                findings.Add(new DoctorFinding(DoctorCodes.BaselineDrift, FindingSeverity.Warning,
                    $"This run does not match its baseline: {cause}." + (inProcess == true ? " Two runs here are identical, so this is drift, not non-determinism." : ""),
                    baselinePath!, $"If the change is intended, accept it: {BaselineCheck.AcceptHint(environment.Key, test).Replace("\n", " ", StringComparison.Ordinal).Trim()}"));
            }
        }

        var ordered = findings.OrderByDescending(f => f.Severity).ToList();
        var verdict = nonDeterministic ? DoctorVerdict.NonDeterministic
            : ordered.Any(f => f.Severity >= FindingSeverity.Warning) ? DoctorVerdict.Warnings : DoctorVerdict.Clean;
        return new DoctorReport
        {
            Verdict = verdict,
            Config = config.Name,
            Device = state.Device,
            Findings = ordered,
            Audit = EnvironmentAudit.Facts(state, environment, options.NativeVariables),
            InProcessIdentical = inProcess,
            CrossProcessIdentical = crossProcess,
            FirstDivergence = divergence,
            BaselinePath = baselinePath,
        };
    }

    // The switches as the training sees them: the check's options applied, then read back.
    static DeterminismState ReadTrainingState(TrainingCheck config)
    {
        if (TrainingGuard.IsActive) return Determinism.Read();
        Determinism.Apply(config.Determinism with { Seed = config.Seed });
        return Determinism.Read();
    }

    static EnvironmentFingerprint CaptureTrainingEnvironment(TrainingCheck config)
    {
        ReadTrainingState(config);
        return EnvironmentFingerprint.Capture();
    }

    // Re-runs both trainings with per-step tracing: the first in full up to the first epoch whose
    // numbers differ, the second only until its first step that differs from the first.
    static FirstDivergence? Localise(Func<TrainingCheck> create, int epochs, TrainingFingerprint first, TrainingFingerprint second, DoctorOptions options)
    {
        var lastEpoch = first.Epochs.Zip(second.Epochs).FirstOrDefault(p => !RunEvidence.Identical(p.First, p.Second)).First?.Epoch ?? epochs;
        var reference = new StepTracer(lastEpoch, options.MaxTraceSteps);
        TraceRun(create, reference);
        var probe = new StepTracer(lastEpoch, options.MaxTraceSteps, reference.Entries);
        TraceRun(create, probe);
        return DivergenceLocator.Locate(reference.Entries, probe.Entries, first.InitialModelHash == second.InitialModelHash);
    }

    static void TraceRun(Func<TrainingCheck> create, StepTracer tracer)
    {
        try
        {
            using var result = TrainingHarness.Run(create(), tracer, null);
        }
        catch (StopTracing) { }
    }
}
