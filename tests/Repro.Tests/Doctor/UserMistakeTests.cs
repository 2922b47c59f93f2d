using Repro.Xunit;
using Xunit;

namespace Repro.Tests.Doctor;

// Issue 23's sweep of mistakes in users' own checks (tests/Support/Causes): each named by its own
// cause, never as drift, and no run of any of them prints advice to accept its numbers.
[Collection(ReproCollection.Name)]
public sealed class UserMistakeTests
{
    static DoctorReport Perturbed<TCheck>(params string[] kinds) where TCheck : TrainingCheck, new() =>
        Repro.Doctor.Diagnose(() => new TCheck(), new DoctorOptions { Store = DoctorSetup.EmptyStore(), Perturb = true, OnlyPerturbations = kinds.Length == 0 ? null : kinds });

    // Runs the doctor on a check seeded by the wall clock; a run during which the clock's minute (or hour)
    // turned trains other numbers between its own runs, so it is repeated once, as a user would.
    static DoctorReport PerturbedWithinOne<TCheck>(Func<DateTime, int> unit) where TCheck : TrainingCheck, new()
    {
        for (var attempt = 0; ; attempt++)
        {
            var before = unit(DateTime.Now);
            var report = Perturbed<TCheck>(Perturbation.Clock);
            if (unit(DateTime.Now) == before || attempt == 1) return report;
        }
    }

    static DoctorFinding ClockSeeded(DoctorReport report)
    {
        var text = report.Render();
        Assert.True(report.InProcessIdentical, text);
        Assert.True(report.CrossProcessIdentical, text);
        Assert.Equal(DoctorVerdict.NonDeterministic, report.Verdict);
        var clock = Assert.Single(report.Perturbations, p => p.Kind == Perturbation.Clock);
        Assert.False(clock.Identical, text);
        var finding = Assert.Single(report.Findings, f => f.Severity == FindingSeverity.Error);
        Assert.True(finding.Code == DoctorCodes.ClockSeededRandomness, text);
        Assert.Contains("TZ=", finding.Where);
        Assert.Contains("never from the clock", finding.Fix);
        AcceptAdvice.AssertNone(text);
        return finding;
    }

    [CpuFact(DisplayName = "Perturbation clock: a time zone whose offset has minutes (Kathmandu +05:45 or Chatham) moves DateTime.Now's hour and minute in the perturbed process")]
    public void The_clock_perturbation_moves_hour_and_minute()
    {
        var clock = Assert.IsType<Perturbation>(Perturbation.ClockShift());
        var zone = TimeZoneInfo.FindSystemTimeZoneById(clock.Variables[Perturbation.TimeZoneVariable]);
        var now = DateTime.UtcNow;
        var (here, there) = (TimeZoneInfo.ConvertTimeFromUtc(now, TimeZoneInfo.Local), TimeZoneInfo.ConvertTimeFromUtc(now, zone));
        Assert.NotEqual(here.Minute, there.Minute);
        Assert.NotEqual(here.Hour, there.Hour);
        Assert.Contains(Perturbation.Standard(), p => p.Kind == Perturbation.Clock);
        Assert.Contains(Perturbation.TimeZoneVariable, Perturbation.Combine(Perturbation.Standard()).Variables.Keys);
    }

    [CpuFact(DisplayName = "Doctor --perturb: data noise from new Random(DateTime.Now.Minute), " +
        "identical here and in a second process -> the clock process moves the data -> clock-seeded-randomness, no accept advice")]
    public void Minute_seeded_noise_is_clock_seeded_randomness()
    {
        var finding = ClockSeeded(PerturbedWithinOne<ClockSeededNoise>(t => t.Minute));
        Assert.Contains("data", finding.What);
    }

    [CpuFact(DisplayName = "Doctor --perturb: data noise from new Random(DateTime.Now.Hour) -> the clock process moves the data -> clock-seeded-randomness, no accept advice")]
    public void Hour_seeded_noise_is_clock_seeded_randomness() =>
        ClockSeeded(PerturbedWithinOne<HourSeededNoise>(t => t.Hour));

    [CpuFact(DisplayName = "Doctor --perturb, three times, on noise seeded by a fifteen-second clock, which turns during most diagnoses -> " +
        "clock-seeded-randomness or nondeterministic-over-time as the only error, never the perturbations it happened to cross, state surviving between trainings or accept advice")]
    public void A_clock_that_turns_during_the_diagnosis_is_named_as_time()
    {
        for (var run = 0; run < 3; run++)
        {
            var report = Perturbed<FifteenSecondSeededNoise>();
            var text = report.Render();
            Assert.True(report.Verdict == DoctorVerdict.NonDeterministic, text);
            var finding = Assert.Single(report.Findings, f => f.Severity == FindingSeverity.Error);
            Assert.True(finding.Code is DoctorCodes.ClockSeededRandomness or DoctorCodes.NondeterministicOverTime, $"run {run + 1}:\n{text}");
            AcceptAdvice.AssertNone(text);
        }
    }

    [CpuFact(DisplayName = "Doctor: batches prepared with Task.Run and trained in ConcurrentBag order, five times -> completion-order-consumption (an error where two runs differ, " +
        "a warning where they happened to agree), never 'same order', never a shuffle fix or accept advice")]
    public void Batches_trained_in_completion_order_are_named_so()
    {
        for (var run = 0; run < 5; run++)
        {
            var report = Repro.Doctor.Diagnose(() => new BatchesInCompletionOrder(), new DoctorOptions { Store = DoctorSetup.EmptyStore() });
            var text = report.Render();
            Assert.True(report.WithCode(DoctorCodes.CompletionOrderConsumption).Count() == 1, text);
            var finding = report.WithCode(DoctorCodes.CompletionOrderConsumption).Single();
            Assert.Equal(report.InProcessIdentical == true ? FindingSeverity.Warning : FindingSeverity.Error, finding.Severity);
            Assert.Contains("completion order", finding.What);
            Assert.Contains("by index", finding.Fix);
            Assert.DoesNotContain("shuffle", finding.Fix);
            Assert.DoesNotContain(report.Findings, f => f.Code is DoctorCodes.UnseededBatchOrder or DoctorCodes.StatefulBatchOrder or DoctorCodes.StateSurvivesBetweenTrainings or DoctorCodes.BaselineDrift);
            Assert.DoesNotContain("same data, order", text);
            AcceptAdvice.AssertNone(text);
        }
    }

    [CpuFact(DisplayName = "Fingerprint: the consumed order is recorded only where the steps did not train the planned order (absent for the clean check, so old baselines stay byte-identical); " +
        "against a baseline the cause says the batches were consumed in another order, never 'same order'")]
    public void The_consumed_order_is_recorded_only_where_it_differs_from_the_plan()
    {
        var clean = TrainingHarness.Train(new RegressionCheck());
        Assert.All(clean.Fingerprint.Epochs, e => Assert.Null(e.ConsumedOrderHash));
        Assert.DoesNotContain("consumedOrderHash", ReproJson.Serialize(clean.Fingerprint));

        var bag = TrainingHarness.Train(new BatchesInCompletionOrder());
        var recorded = bag.Fingerprint.Epochs.Where(e => e.ConsumedOrderHash is not null).ToList();
        var baseline = new BaselineFile { Test = clean.Name, Key = clean.Environment.Key, Config = clean.Settings, Environment = clean.Environment, Fingerprint = clean.Fingerprint };
        var comparison = FingerprintComparer.Compare(baseline, bag.Fingerprint with { Name = clean.Fingerprint.Name, ConfigHash = clean.Fingerprint.ConfigHash, Code = clean.Fingerprint.Code });
        Assert.NotEmpty(recorded);
        Assert.All(recorded, e => Assert.True(e.ConsumedPlannedSamplesReordered));
        Assert.Equal(clean.Fingerprint.Epochs.Select(e => e.BatchOrderHash), bag.Fingerprint.Epochs.Select(e => e.BatchOrderHash));
        Assert.False(comparison.Passed);
        Assert.Contains("consumed their batches in another order", comparison.Cause);
        Assert.DoesNotContain("only the numerics moved", comparison.Cause);
        Assert.Equal("consumed-order", comparison.FirstMovedState?.Piece);
    }

    static DoctorReport Diagnosed<TCheck>(string code) where TCheck : TrainingCheck, new()
    {
        var report = Repro.Doctor.Diagnose(() => new TCheck(), new DoctorOptions { Store = DoctorSetup.EmptyStore() });
        var text = report.Render();
        Assert.True(report.Verdict == DoctorVerdict.NonDeterministic, text);
        var finding = Assert.Single(report.Findings, f => f.Severity == FindingSeverity.Error);
        Assert.True(finding.Code == code, $"Expected {code}, got {finding.Code}:\n{text}");
        AcceptAdvice.AssertNone(text);
        return report;
    }

    [CpuFact(DisplayName = "Doctor: Random.Shared jitter on the inputs of a check without workers -> unseeded-batch-randomness, no 'workers' in code or text, no accept advice")]
    public void Random_shared_jitter_is_unseeded_batch_randomness()
    {
        var finding = Assert.Single(Diagnosed<RandomSharedJitter>(DoctorCodes.UnseededBatchRandomness).Findings, f => f.Severity == FindingSeverity.Error);
        Assert.DoesNotContain("worker", finding.Code + finding.What + finding.Fix, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Random.Shared", finding.Fix);
    }

    [CpuFact(DisplayName = "Doctor: a shuffle by OrderBy(_ => Guid.NewGuid()), order not recorded -> unseeded-batch-order, never completion order or accept advice")]
    public void A_guid_shuffle_is_unseeded_batch_order() =>
        Diagnosed<GuidShuffle>(DoctorCodes.UnseededBatchOrder);

    [CpuFact(DisplayName = "Doctor: torch.manual_seed(Environment.TickCount) each epoch -> rng-state-diverged, no accept advice")]
    public void A_tick_count_seed_is_rng_state_diverged() =>
        Diagnosed<TickCountSeedEachEpoch>(DoctorCodes.RngStateDiverged);

    [CpuFact(DisplayName = "Doctor --perturb, five times: CSV fields parsed in Parallel.For and summed under a lock -> found in at least one run, and every run that finds it " +
        "names order-dependent-reduction at 'statistics' (rounding level from equal units, in this process or in another one), never unseeded data, " +
        "process-randomised hashing or state surviving between trainings, never accept advice")]
    public void A_locked_parallel_sum_is_named_an_order_dependent_reduction_whenever_found()
    {
        // On an idle machine every run finds it (docs/causes.md, the sweep). On a runner whose cores are busy the
        // parse loop may run on one thread in every process, and then nothing moves that the doctor could see.
        var found = 0;
        for (var run = 0; run < 5; run++)
        {
            var report = Perturbed<LockedParallelSum>();
            if (report.Verdict != DoctorVerdict.NonDeterministic) continue;
            AssertOrderDependentReduction(report, run);
            found++;
        }
        Assert.True(found > 0, "No run of five found the locked parallel sum's non-determinism.");
    }

    [CpuFact(DisplayName = "Doctor without perturbations, five times: the locked parallel sum -> order-dependent-reduction whenever runs of one process differ " +
        "(a warm process may serialise the threads, and then finds nothing), never another cause or accept advice")]
    public void A_locked_parallel_sum_in_one_process_is_never_another_cause()
    {
        for (var run = 0; run < 5; run++)
        {
            var report = Repro.Doctor.Diagnose(() => new LockedParallelSum(), new DoctorOptions { Store = DoctorSetup.EmptyStore() });
            if (report.Verdict == DoctorVerdict.NonDeterministic) AssertOrderDependentReduction(report, run);
        }
    }

    static void AssertOrderDependentReduction(DoctorReport report, int run)
    {
        var text = report.Render();
        Assert.True(report.Verdict == DoctorVerdict.NonDeterministic, $"run {run + 1}:\n{text}");
        AcceptAdvice.AssertNone(text);
        var finding = Assert.Single(report.Findings, f => f.Severity == FindingSeverity.Error);
        Assert.True(finding.Code == DoctorCodes.OrderDependentReduction, $"run {run + 1}:\n{text}");
        Assert.Contains("'statistics'", finding.Where);
    }

    [CpuFact(DisplayName = "Doctor: two trainings agree, the third data preparation differs at rounding level -> the repeated preparations find it: order-dependent-reduction, named intermittent; " +
        "never clean")]
    public void An_intermittent_reduction_is_found_by_repeated_preparations()
    {
        var report = Diagnosed<SometimesReversedSum>(DoctorCodes.OrderDependentReduction);
        Assert.True(report.InProcessIdentical);
        var finding = Assert.Single(report.WithCode(DoctorCodes.OrderDependentReduction));
        Assert.Contains("intermittent", finding.What);
        Assert.Contains("'statistics'", finding.Where);
    }

    [CpuFact(DisplayName = "Doctor: a check that records no data stages, two trainings whose statistics differ at rounding level -> the first step's samples agree and its model input " +
        "differs only in the last bits -> order-dependent-reduction at the model input, without asking fresh processes whether state survives")]
    public void Without_data_stages_the_first_step_input_is_compared_value_by_value()
    {
        var report = Diagnosed<UnrecordedAlternatelyReversedSum>(DoctorCodes.OrderDependentReduction);
        Assert.False(report.InProcessIdentical);
        var finding = Assert.Single(report.WithCode(DoctorCodes.OrderDependentReduction));
        Assert.Contains($"'{FirstStepValues.Input}'", finding.Where);
        Assert.Contains($"after '{FirstStepValues.Samples}', identical", finding.What);
        Assert.Contains("rounding level", finding.What);
        Assert.Empty(TrainingHarness.Train(new UnrecordedAlternatelyReversedSum()).Fingerprint.Trace!.Data);
    }

    [CpuFact(DisplayName = "Doctor: two trainings differ at rounding level in 'statistics' -> order-dependent-reduction from the trainings' own data stages, " +
        "without asking fresh processes whether state survives")]
    public void A_rounding_level_difference_between_trainings_wins_over_state_survives()
    {
        var report = Diagnosed<AlternatelyReversedSum>(DoctorCodes.OrderDependentReduction);
        Assert.False(report.InProcessIdentical);
        Assert.DoesNotContain(report.Findings, f => f.Code == DoctorCodes.StateSurvivesBetweenTrainings);
    }
}
