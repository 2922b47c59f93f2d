using Repro.Xunit;
using Xunit;

namespace Repro.Tests.Doctor;

// Latent non-determinism: identical in two runs here and in a plain second process, different in a
// process that changes what must not matter. The doctor names the perturbation and the cause.
[Collection(ReproCollection.Name)]
public sealed class PerturbationTests
{
    static DoctorReport Perturbed<TCheck>() where TCheck : TrainingCheck, new() =>
        Repro.Doctor.Diagnose(() => new TCheck(), new DoctorOptions { Store = DoctorSetup.EmptyStore(), Perturb = true });

    static DoctorFinding Latent(DoctorReport report, string code, string perturbation)
    {
        Assert.True(report.InProcessIdentical, report.Render());
        Assert.True(report.CrossProcessIdentical, report.Render());
        Assert.Equal(DoctorVerdict.NonDeterministic, report.Verdict);
        var differing = report.Perturbations.Where(p => p.Identical == false && p.Kind != Perturbation.Combined).ToList();
        Assert.True(differing.Count == 1 && differing[0].Kind == perturbation, report.Render());
        var finding = Assert.Single(report.Findings, f => f.Severity == FindingSeverity.Error);
        Assert.True(finding.Code == code, $"Expected {code}, got {finding.Code}:\n{report.Render()}");
        Assert.Contains(differing[0].Name, finding.Where);
        return finding;
    }

    [CpuFact(DisplayName = "Doctor --perturb: a reduction split by core count, identical twice on this machine -> the processor-count process differs at 'statistics' -> order-dependent-reduction")]
    public void A_reduction_split_by_core_count_is_caught_by_the_processor_count_perturbation()
    {
        var finding = Latent(Perturbed<PartitionedReduction>(), DoctorCodes.OrderDependentReduction, Perturbation.ProcessorCount);
        Assert.Contains("'statistics'", finding.Where);
    }

    [CpuFact(DisplayName = "Doctor --perturb: torch.set_num_threads(ProcessorCount) in training -> the processor-count process trains with other threads -> thread-count-set-in-training")]
    public void Threads_from_the_core_count_are_caught_by_the_processor_count_perturbation() =>
        Latent(Perturbed<ThreadsFromProcessorCount>(), DoctorCodes.ThreadCountSetInTraining, Perturbation.ProcessorCount);

    [CpuFact(DisplayName = "Doctor --perturb: float.Parse in the current culture -> the other-culture process reads other data -> culture-dependent-data")]
    public void Culture_dependent_parsing_is_caught_by_the_culture_perturbation() =>
        Latent(Perturbed<CultureParsedUnits>(), DoctorCodes.CultureDependentData, Perturbation.Culture);

    [CpuFact(DisplayName = "Doctor --perturb: statistics summed per SIMD lane (as TensorPrimitives.Sum), " +
        "identical twice here -> the other-SIMD-width process moves 'statistics' -> simd-width-dependent, never drift")]
    public void A_simd_width_dependent_sum_is_caught_by_the_vector_width_perturbation()
    {
        var finding = Latent(Perturbed<SimdSummedStatistics>(), DoctorCodes.SimdWidthDependent, Perturbation.VectorWidth);
        Assert.Contains("'statistics'", finding.Where);
        Assert.Contains("DOTNET_PreferredVectorBitWidth=256", finding.Fix);
    }

    [CpuFact(DisplayName = "Doctor --perturb: input noise from per-worker generators seeded by worker index, " +
        "identical twice with 4 workers -> the data-workers process (1 worker) moves the weights of epoch 1 -> data-worker-dependent")]
    public void Worker_seeded_noise_is_caught_by_the_data_workers_perturbation()
    {
        var report = Perturbed<WorkerSeededNoise>();
        var finding = Latent(report, DoctorCodes.DataWorkerDependent, Perturbation.DataWorkers);
        var moved = Assert.Single(report.Perturbations, p => p.Kind == Perturbation.DataWorkers).FirstMovedState;
        Assert.Equal(("weights", (int?)1), (moved?.Piece, moved?.Epoch));
        Assert.Contains("worker", finding.Fix);
    }

    [CpuFact(DisplayName = "TrainingContext.DataWorkers: the configured count normally; 1 for N > 1 and 4 for 1 in the doctor's data-workers process; a count below 1 is refused")]
    public void Data_workers_follow_the_perturbation_variable()
    {
        Assert.Equal((3, 1), WorkerCounts(perturbed: false));
        Assert.Equal((1, TrainingContext.PerturbedDataWorkers), WorkerCounts(perturbed: true));
        var error = Assert.Throws<ReproException>(() => TrainingHarness.Train(new AsksForWorkers(0)));
        Assert.Contains("DataWorkers(0)", error.Message);
    }

    static (int, int) WorkerCounts(bool perturbed)
    {
        var previous = Environment.GetEnvironmentVariable(Perturbation.DataWorkersVariable);
        Environment.SetEnvironmentVariable(Perturbation.DataWorkersVariable, perturbed ? "1" : null);
        try
        {
            var (many, one) = (new AsksForWorkers(3), new AsksForWorkers(1));
            TrainingHarness.Train(many);
            TrainingHarness.Train(one);
            return (many.Workers, one.Workers);
        }
        finally
        {
            Environment.SetEnvironmentVariable(Perturbation.DataWorkersVariable, previous);
        }
    }

    sealed class AsksForWorkers(int configured) : RegressionCheck
    {
        public int Workers { get; private set; }

        protected internal override string? PrepareData(TrainingContext context)
        {
            Workers = context.DataWorkers(configured);
            return base.PrepareData(context);
        }
    }

    [CpuFact(DisplayName = "Doctor --perturb: the clean user check is clean, and every perturbation ran in one process")]
    public void The_clean_user_check_is_clean_under_perturbation()
    {
        var report = Perturbed<RegressionCheck>();
        Assert.True(report.IsClean, report.Render());
        var all = Assert.Single(report.Perturbations);
        Assert.Equal((Perturbation.Combined, (bool?)true), (all.Kind, all.Identical));
    }
}
