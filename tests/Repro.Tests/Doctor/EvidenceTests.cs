using Repro.Xunit;
using Xunit;

namespace Repro.Tests.Doctor;

// Each cause is named from its evidence, not from the stage where it first shows: state that survives
// between trainings (the first training in a process reproduces, the second does not), an unordered
// reduction (rounding-level differences from identical raw data), a process-wide default left changed,
// per-process order that only a second process shows. None ends in advice to accept.
[Collection(ReproCollection.Name)]
public sealed class EvidenceTests
{
    static DoctorReport Diagnose<TCheck>(DoctorOptions? options = null) where TCheck : TrainingCheck, new() =>
        Repro.Doctor.Diagnose(() => new TCheck(), options ?? new DoctorOptions { Store = DoctorSetup.EmptyStore() });

    static DoctorFinding SingleError(DoctorReport report, string code)
    {
        var error = Assert.Single(report.Findings, f => f.Severity == FindingSeverity.Error);
        Assert.True(error.Code == code, $"Expected {code}, got {error.Code}:\n{report.Render()}");
        NoAcceptAdvice(report);
        return error;
    }

    static void NoAcceptAdvice(DoctorReport report) =>
        Assert.DoesNotContain(report.Findings, f => f.Fix.Contains("approve", StringComparison.OrdinalIgnoreCase) || f.Fix.Contains("accept it", StringComparison.OrdinalIgnoreCase));

    [CpuFact(DisplayName = "Doctor: a static step counter -> the first training matches a fresh process, the second does not -> state-survives-between-trainings")]
    public void A_static_step_counter_is_state_surviving_between_trainings()
    {
        var report = Diagnose<StaticStepCounter>();
        Assert.Equal(DoctorVerdict.NonDeterministic, report.Verdict);
        var finding = SingleError(report, DoctorCodes.StateSurvivesBetweenTrainings);
        Assert.Contains("fresh process", finding.What);
        // Two more traced trainings no longer differ (the counter is past its warm-up), so the compact
        // trace of the first two says where: the weights after epoch 1, with generator and order identical.
        Assert.Equal("weights in epoch 1", finding.Where);
    }

    [CpuFact(DisplayName = "Doctor: only the second training's data differs, once (an intermittent glitch), and two fresh processes agree with the first -> " +
        "a third training here agrees with the first too -> named intermittent, never state-survives-between-trainings")]
    public void A_glitch_in_one_training_is_not_state_surviving_between_trainings()
    {
        SecondPreparationGlitch.Reset();
        var report = Diagnose<SecondPreparationGlitch>();

        Assert.Equal(DoctorVerdict.NonDeterministic, report.Verdict);
        Assert.False(report.InProcessIdentical);
        Assert.DoesNotContain(report.Findings, f => f.Code == DoctorCodes.StateSurvivesBetweenTrainings);
        var finding = Assert.Single(report.Findings, f => f.Severity == FindingSeverity.Error);
        Assert.Contains("A third training here equals the first again", finding.What);
        NoAcceptAdvice(report);
    }

    [CpuFact(DisplayName = "Doctor: a seeded torch generator in a static field -> state-survives-between-trainings, first seen at the model's input")]
    public void A_static_generator_is_state_surviving_between_trainings()
    {
        var finding = SingleError(Diagnose<StaticAugmentationGenerator>(), DoctorCodes.StateSurvivesBetweenTrainings);
        Assert.Contains("'input'", finding.Where);
    }

    [CpuFact(DisplayName = "Doctor: a static cache that each training appends to -> the data differs in the second training only -> state-survives-between-trainings at stage 'units'")]
    public void A_static_cache_is_state_surviving_between_trainings()
    {
        var finding = SingleError(Diagnose<StaticUnitCache>(), DoctorCodes.StateSurvivesBetweenTrainings);
        Assert.Contains("stage 'units'", finding.Where);
        Assert.Contains("fresh process", finding.What);
    }

    [CpuFact(DisplayName = "Doctor: new Random() in the data -> unseeded-data-randomness at stage 'units', a fresh process differs too")]
    public void Unseeded_data_is_randomness_per_run_named_at_its_stage()
    {
        var finding = SingleError(Diagnose<UnseededNoiseInData>(), DoctorCodes.UnseededDataRandomness);
        Assert.Contains("stage 'units'", finding.Where);
        Assert.Contains("differs from both runs", finding.What);
    }

    [CpuFact(DisplayName = "Doctor: statistics summed in an arbitrary order -> rounding-level difference after identical units -> order-dependent-reduction")]
    public void An_unordered_reduction_is_not_unseeded_randomness()
    {
        var finding = SingleError(Diagnose<UnorderedSummation>(), DoctorCodes.OrderDependentReduction);
        Assert.Contains("stage 'statistics'", finding.Where);
        Assert.Contains("'units'", finding.What);
        Assert.Contains("rounding level", finding.What);
    }

    [CpuFact(DisplayName = "Doctor: a training that leaves torch's default dtype at float64 -> the second training fails -> global-default-changed")]
    public void A_default_dtype_left_changed_is_named()
    {
        var report = Diagnose<LeavesDefaultDtype>();
        Assert.Equal(DoctorVerdict.NonDeterministic, report.Verdict);
        var findings = report.WithCode(DoctorCodes.GlobalDefaultChanged).ToList();
        Assert.NotEmpty(findings);
        Assert.All(findings, f => Assert.Contains("default dtype", f.What));
        Assert.DoesNotContain(report.Findings, f => f.Severity == FindingSeverity.Error && f.Code != DoctorCodes.GlobalDefaultChanged);
        NoAcceptAdvice(report);
        // The doctor put the default back: later trainings in this process are unaffected.
        Assert.Equal(TorchSharp.torch.ScalarType.Float32, TorchSharp.torch.get_default_dtype());
    }

    [CpuFact(DisplayName = "Doctor and check: torch.set_num_threads in the training -> the fingerprint records the threads used -> thread-count-set-in-training, never accepted")]
    public void Threads_set_inside_training_are_named_and_never_accepted()
    {
        var pinned = new OneThreadInTraining().Determinism.IntraOpThreads;
        Assert.NotEqual(1, pinned);
        var report = Diagnose<OneThreadInTraining>();
        var finding = SingleError(report, DoctorCodes.ThreadCountSetInTraining);
        Assert.Contains($"ran with 1 intra-op threads, but the determinism options pinned {pinned}", finding.What);
        Assert.Contains(report.Audit, f => f.Name == "intra-op threads in training" && f.Value == "1");

        var run = TrainingHarness.Train(new OneThreadInTraining());
        Assert.Equal(1, run.Fingerprint.TrainingThreads);
        var store = DoctorSetup.EmptyStore();
        var outcome = BaselineCheck.Verify(store, nameof(OneThreadInTraining), run, accept: true);
        Assert.Equal(BaselineStatus.Missing, outcome.Status);
        Assert.Contains("it is not accepted as a baseline", outcome.Message);
        Assert.DoesNotContain("approve", outcome.Message);
        Assert.Null(store.ReadVerified(run.Environment.Key, nameof(OneThreadInTraining)));
    }

    [CpuFact(DisplayName = "Doctor: hash-ordered units against a baseline from another process -> not drift: a second process differs -> process-randomised-hashing")]
    public void Hash_order_against_a_baseline_is_settled_in_a_second_process_before_drift()
    {
        using var probe = new HashOrderedUnits();
        var recordedElsewhere = ChildProcessRun.Train(probe, new DoctorOptions());
        var store = DoctorSetup.StoreWith(recordedElsewhere, nameof(HashOrderedUnits));

        var report = Diagnose<HashOrderedUnits>(new DoctorOptions { Store = store });

        Assert.True(report.InProcessIdentical);
        Assert.False(report.CrossProcessIdentical, report.Render());
        Assert.Equal(DoctorVerdict.NonDeterministic, report.Verdict);
        Assert.Single(report.WithCode(DoctorCodes.ProcessRandomisedHashing));
        Assert.Empty(report.WithCode(DoctorCodes.BaselineDrift));
        NoAcceptAdvice(report);
    }

    [CpuFact(DisplayName = "Doctor --processes: two runs here agree, a second process's data stages differ only at rounding level after equal units -> " +
        "order-dependent-reduction between processes, never process-randomised-hashing, no advice to accept")]
    public void A_rounding_level_difference_between_processes_is_an_order_dependent_reduction()
    {
        using var folder = new TempSnapshots();
        using var marker = new VariableScope(ProcessOrderedSum.MarkerVariable, Path.Combine(folder.Root, "first-process"));

        var report = Diagnose<ProcessOrderedSum>(new DoctorOptions { Store = DoctorSetup.EmptyStore(), CrossProcess = true });

        Assert.True(report.InProcessIdentical);
        Assert.False(report.CrossProcessIdentical, report.Render());
        var finding = SingleError(report, DoctorCodes.OrderDependentReduction);
        Assert.Contains("between processes", finding.Where);
        Assert.Contains("'statistics'", finding.Where);
        Assert.Contains("rounding level", finding.What);
    }

    [CpuFact(DisplayName = "Doctor: files listed in file-system order against a baseline with another order -> enumeration-order, no advice to accept")]
    public void File_system_order_against_the_baseline_is_named_not_accepted()
    {
        var store = DoctorSetup.StoreWith(DoctorSetup.Recorded(new SortedFileListing()), "FileListing");

        var report = Diagnose<UnsortedFileListing>(new DoctorOptions { Store = store });

        var finding = SingleError(report, DoctorCodes.EnumerationOrder);
        Assert.Contains("same items", finding.What);
        Assert.Contains("'units'", finding.Where);
        Assert.True(report.InProcessIdentical);
        Assert.True(report.CrossProcessIdentical, report.Render());
        Assert.Contains("Fix the errors above first", Assert.Single(report.WithCode(DoctorCodes.BaselineDrift)).Fix);
    }
}
