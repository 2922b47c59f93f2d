namespace Repro;

// What the doctor's trainings show, gathered in the order that settles each question cheapest first:
// two runs here; when they differ, where (fingerprints, data stages, a step trace) and whether a first
// training reproduces (state carried between trainings) or not (randomness per run); when they agree,
// a second process and perturbed ones, if asked or needed to tell drift from non-determinism.
internal sealed class DoctorEvidence(TrainingCheck config, Func<TrainingCheck> create, DoctorOptions options, BaselineStore store, string test)
{
    internal List<DoctorFinding> Findings { get; } = [];
    internal TrainingFingerprint? First { get; private set; }
    internal bool? InProcess { get; private set; }
    internal bool? CrossProcess { get; private set; }
    internal List<PerturbationResult> Perturbations { get; } = [];
    internal FirstDivergence? Divergence { get; private set; }
    internal bool NonDeterministic { get; set; }

    // The data stages of the first training here, by value: what other processes' stages are compared with.
    List<DataStageEvidence.StageValues> _firstStages = [];

    internal void Investigate()
    {
        // Reading torch's defaults initialises TorchSharp: libtorch must be loaded for the check's device
        // first, or a CUDA libtorch from disk (REPRO_LIBTORCH_DIR) could no longer be chosen.
        NativeRuntime.InitializeFor(config.Determinism.Device, config.Determinism);
        var defaults = ProcessDefaults.Read();
        try
        {
            Investigate(defaults);
        }
        finally
        {
            defaults.Restore();
        }
    }

    void Investigate(ProcessDefaults defaults)
    {
        TrainingFingerprint first = null!;
        _firstStages = DataStageEvidence.Keeping(() => first = First = TrainingHarness.Train(create()).Fingerprint);
        var changed = defaults.ChangesTo(ProcessDefaults.Read());
        TrainingFingerprint second;
        List<DataStageEvidence.StageValues> secondStages;
        try
        {
            TrainingFingerprint trained = null!;
            secondStages = DataStageEvidence.Keeping(() => trained = TrainingHarness.Train(create()).Fingerprint);
            second = trained;
        }
        catch (Exception ex) when (!TrainingGuard.IsOverlap(ex))
        {
            // The same check trained once and then failed: only what the first left behind differs.
            NonDeterministic = true;
            InProcess = false;
            Findings.Add(RunEvidence.SecondTrainingFailed(ex, changed));
            return;
        }
        if (changed.Count > 0) Findings.Add(RunEvidence.GlobalDefaultsChanged(changed));
        InProcess = RunEvidence.Identical(first, second);
        var (baseline, _, sameKey) = BaselineEnvironmentDiff.Find(store, test, Doctor.CaptureTrainingEnvironment(config));
        var comparable = sameKey && baseline is not null && baseline.Fingerprint.ConfigHash == first.ConfigHash ? baseline : null;

        if (InProcess == false)
        {
            NonDeterministic = true;
            Findings.Add(Explain(first, second, comparable, DataStageEvidence.Compare(_firstStages, secondStages)));
            return;
        }

        // Two equal runs do not prove an intermittent fault absent: prepare the data a few more times.
        if (DataStageEvidence.CompareRepeatedly(create, IntermittentDataRuns, MostDataRuns, DataRunBudget) is { } intermittent)
        {
            NonDeterministic = true;
            Findings.Add(intermittent.Settled ? RunEvidence.DataOverTime(intermittent.Difference, intermittent.Run + 2)
                : RunEvidence.Intermittent(intermittent.Difference, intermittent.Run + 2));
            return;
        }

        var drift = comparable is not null && !FingerprintComparer.Compare(comparable, first).Passed;
        if (!options.CrossProcess && !options.Perturb && !drift) return;
        if (!options.CrossProcess && !options.Perturb && Unavailable() is { } why)
        {
            Findings.Add(new DoctorFinding(DoctorCodes.SecondProcessUnavailable, FindingSeverity.Warning,
                $"The run does not match its baseline, and the doctor could not train in a second process to tell drift from per-process non-determinism: {why}.",
                "the doctor's second process", "Run 'repro doctor --processes --perturb' through the repro tool, " +
                    "or reference the Repro.Xunit package from the test project (its executable then serves as the second process)."));
            return;
        }

        var (child, childStages) = ChildProcessRun.TrainKeepingStages(config, options);
        if (child.Fingerprint.ConfigHash != first.ConfigHash)
            throw new ReproException($"The second process trained a different config (config hash {child.Fingerprint.ConfigHash} vs {first.ConfigHash}), so the runs cannot be compared. " +
                "Check that the second process runs the same build as this one (the test executable, or Repro.Cli.dll at DoctorOptions.CliPath).");
        if (child.Fingerprint.Device != first.Device)
            throw new ReproException($"The second process trained {config.Name} on {child.Fingerprint.Device}, this process on {first.Device}, so the runs cannot be compared: " +
                "the check's device must come from its own code (Determinism.Device), which its parameterless constructor (or ChildProcessArguments) rebuilds.");
        CrossProcess = RunEvidence.Identical(first, child.Fingerprint);
        if (CrossProcess == false)
        {
            NonDeterministic = true;
            var differences = BaselineEnvironmentDiff.Differences(child.Environment, Doctor.CaptureTrainingEnvironment(config), "between this process and the second one").ToList();
            var rounding = RoundingLevelAgainstFirst(childStages);
            if (differences.Count == 0 && rounding is null && TrainedHereAgain(first) is { } later)
                Findings.Add(RunEvidence.OverTime(first, later, clockPerturbed: false));
            else Findings.AddRange(differences.Count > 0 ? differences : [RunEvidence.CrossProcess(first, child.Fingerprint, rounding)]);
            return;
        }
        if (options.Perturb || drift) Perturb(first);
    }

    // Two runs here differ: name the earliest thing that differs, then ask whether a first training
    // reproduces (the baseline, else a fresh process): if it does, state survives between trainings.
    DoctorFinding Explain(TrainingFingerprint first, TrainingFingerprint second, BaselineFile? baseline, DataStageDifference? trainedStages)
    {
        var finding = RunEvidence.FromFingerprints(first, second);
        // Repeated: an intermittent difference may not show in the next two preparations.
        // The two trainings' own stages first; else prepared again, repeatedly: an intermittent difference may not recur at once.
        if (finding?.Code == DoctorCodes.UnseededDataRandomness && (trainedStages ?? DataStageEvidence.CompareRepeatedly(create, IntermittentDataRuns, MostDataRuns, DataRunBudget)?.Difference) is { } stages)
            finding = RunEvidence.FromDataStages(stages, finding);
        if (finding is null)
        {
            Divergence = Localise(first, second);
            finding = Divergence is null && TraceComparison.FirstMoved(first, second) is { } moved
                ? RunEvidence.NotRecurring(moved)
                : RunEvidence.FromDivergence(Divergence, Doctor.ReadTrainingState(config), first.UsesDataWorkers);
        }

        // Completion order is scheduling, in every training alike: no earlier training's state to look for.
        // Rounding-level evidence is the same: an unordered reduction differs whenever scheduling does, first training or not.
        if (finding.Code is DoctorCodes.CompletionOrderConsumption or DoctorCodes.OrderDependentReduction) return finding;
        string name;
        Func<TrainingFingerprint, bool> matches;
        if (baseline is not null) (name, matches) = ("the baseline", run => FingerprintComparer.Compare(baseline, run).Passed);
        else if (FreshProcessRun() is { } fresh)
        {
            // One fresh process agreeing with the first training may be luck (an intermittent fault);
            // state that survives between trainings makes every fresh first training agree.
            if (RunEvidence.Identical(fresh, first) && FreshProcessRun() is { } again && !RunEvidence.Identical(again, first))
                return RunEvidence.PerRun(finding, "the first training of a second fresh process");
            if (RunEvidence.Identical(fresh, second) && !RunEvidence.Identical(fresh, first) && TrainedHereAgain(first) is { } third && RunEvidence.Identical(third, second))
                // Only the first training differs from every later one, here and elsewhere: what changed in between is the time (or a file it wrote).
                return RunEvidence.OverTime(first, second, clockPerturbed: false);
            (name, matches) = ("two trainings in fresh processes", run => RunEvidence.Identical(fresh, run));
        }
        else return finding;
        if (matches(first))
            // State left by the first training moves every later one; a second training that differed once does not move a third.
            return TrainedHereAgain(first) is null ? RunEvidence.DifferedOnce(finding) : RunEvidence.StateSurvives(finding, name);
        return matches(second) ? finding : RunEvidence.PerRun(finding, name);
    }

    // The first training of a fresh process, or null when no second process can train this check.
    TrainingFingerprint? FreshProcessRun()
    {
        if (Unavailable() is not null) return null;
        try
        {
            var run = ChildProcessRun.Train(config, options).Fingerprint;
            return run.ConfigHash == First!.ConfigHash && run.Device == First.Device ? run : null;
        }
        catch (ReproException)
        {
            return null;
        }
    }

    // All perturbations in one process; only when that differs, each alone, to name the one that matters.
    void Perturb(TrainingFingerprint first)
    {
        var standard = Perturbation.Standard().Where(p => options.OnlyPerturbations?.Contains(p.Kind) != false).ToList();
        var combined = Perturbation.Combine(standard);
        var all = Run(combined, first);
        Perturbations.Add(all.Result);
        if (all.Result.Identical == true) return;
        NonDeterministic = true;
        var culprits = new List<(PerturbationResult Result, TrainingFingerprint? Fingerprint, DataStageDifference? Rounding)>();
        foreach (var perturbation in standard)
        {
            var single = Run(perturbation, first);
            Perturbations.Add(single.Result);
            if (single.Result.Identical == false) culprits.Add(single);
        }
        if (culprits.Count == 0) culprits.Add(all);
        // The perturbed processes train over many seconds: numbers taken from the clock move with the minute, under
        // whichever perturbations ran after it turned. A plain process that now differs says so, instead of blaming them.
        if (TimeMoved(first) is { } later)
        {
            Findings.Add(RunEvidence.OverTime(first, later, culprits.Any(c => c.Result.Kind == Perturbation.Clock)));
            return;
        }
        foreach (var (result, fingerprint, rounding) in culprits)
        {
            var finding = RunEvidence.Latent(result, first, fingerprint, rounding, rounding is null || RepeatsItself(standard, result, fingerprint, first));
            // A scheduling-dependent reduction moves under whichever perturbations it happens to: one finding names it.
            if (finding.Code == DoctorCodes.OrderDependentReduction && Findings.Any(f => f.Code == finding.Code)) continue;
            if (!Findings.Any(f => f.Code == finding.Code && f.Where == finding.Where)) Findings.Add(finding);
        }
    }

    // A plain second process's training, when it now differs from the first training here (the numbers moved with time); else null.
    TrainingFingerprint? TimeMoved(TrainingFingerprint first)
    {
        (BaselineFile Run, List<DataStageEvidence.StageValues>? Stages) now;
        try
        {
            now = ChildProcessRun.TrainKeepingStages(config, options);
        }
        catch (ReproException)
        {
            return null;
        }
        // A rounding-level move is a reduction that follows scheduling, whenever it runs.
        return RunEvidence.Identical(first, now.Run.Fingerprint) || RoundingLevelAgainstFirst(now.Stages) is not null ? null : now.Run.Fingerprint;
    }

    // Another training in this process, when it differs from the first one here (which a second process was compared with); else null.
    TrainingFingerprint? TrainedHereAgain(TrainingFingerprint first)
    {
        var now = TrainingHarness.Train(create()).Fingerprint;
        return RunEvidence.Identical(first, now) ? null : now;
    }

    // A SIMD width moves numbers the same way every time; a reduction that follows thread scheduling
    // also moves under that perturbation, but not twice alike: a second run with the same width tells them apart.
    bool RepeatsItself(List<Perturbation> standard, PerturbationResult result, TrainingFingerprint? fingerprint, TrainingFingerprint first)
    {
        if (result.Kind != Perturbation.VectorWidth || fingerprint is null) return true;
        var again = Run(standard.Single(p => p.Kind == result.Kind), first);
        return again.Fingerprint is { } repeated && RunEvidence.Identical(fingerprint, repeated);
    }

    (PerturbationResult Result, TrainingFingerprint? Fingerprint, DataStageDifference? Rounding) Run(Perturbation perturbation, TrainingFingerprint first)
    {
        TrainingFingerprint run;
        List<DataStageEvidence.StageValues>? stages;
        try
        {
            var trained = ChildProcessRun.TrainKeepingStages(config, options, perturbation);
            (run, stages) = (trained.Run.Fingerprint, trained.Stages);
        }
        catch (ReproException ex)
        {
            // A training that fails only under a perturbation depends on it as much as one whose numbers move.
            return (new PerturbationResult(perturbation.Name, perturbation.Kind, false, Failure: ex.Message), null, null);
        }
        var identical = RunEvidence.Identical(first, run);
        return (new PerturbationResult(perturbation.Name, perturbation.Kind, identical, identical ? null : TraceComparison.FirstMoved(first, run)), run,
            identical ? null : RoundingLevelAgainstFirst(stages));
    }

    // How another process's data stages differ from the first training's here, when only at rounding level after equal stages:
    // the evidence of an order-dependent reduction, whichever process or perturbation showed it.
    DataStageDifference? RoundingLevelAgainstFirst(List<DataStageEvidence.StageValues>? stages) =>
        stages is null ? null : DataStageEvidence.Compare(_firstStages, stages) is { RoundingLevel: true, IdenticalBefore.Count: > 0 } difference ? difference : null;

    // Data preparations beyond the two trainings: with the first one's, five data runs before a verdict.
    internal const int IntermittentDataRuns = 4;

    // More preparations while they are cheap (a small check prepares its data in milliseconds): a race that shows in
    // one preparation of ten on a busy runner is then found in this process.
    const int MostDataRuns = 32;
    static readonly TimeSpan DataRunBudget = TimeSpan.FromSeconds(1);

    // Why a second process cannot train this check, or null when it can.
    string? Unavailable() => ChildProcessRun.Unavailable(config, options);

    // Re-runs both trainings with per-step tracing: the first in full up to the first epoch whose
    // numbers differ, the second only until its first step that differs from the first.
    FirstDivergence? Localise(TrainingFingerprint first, TrainingFingerprint second)
    {
        var lastEpoch = first.Epochs.Zip(second.Epochs).FirstOrDefault(p => !RunEvidence.Identical(p.First, p.Second)).First?.Epoch ?? config.Epochs;
        var reference = new StepTracer(lastEpoch, options.MaxTraceSteps);
        TraceRun(reference);
        var probe = new StepTracer(lastEpoch, options.MaxTraceSteps, reference.Entries);
        TraceRun(probe);
        return DivergenceLocator.Locate(reference.Entries, probe.Entries, first.InitialModelHash == second.InitialModelHash);
    }

    void TraceRun(StepTracer tracer)
    {
        try
        {
            using var result = TrainingHarness.Run(create(), tracer, null);
        }
        catch (StopTracing) { }
    }
}
