using Repro.Tests.Causes;
using Repro.Xunit;
using Xunit;

namespace Repro.Tests.DoctorTests;

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

    [CpuFact(DisplayName = "Doctor --perturb: the clean user check is clean, and every perturbation ran in one process")]
    public void The_clean_user_check_is_clean_under_perturbation()
    {
        var report = Perturbed<RegressionCheck>();
        Assert.True(report.IsClean, report.Render());
        var all = Assert.Single(report.Perturbations);
        Assert.Equal((Perturbation.Combined, (bool?)true), (all.Kind, all.Identical));
    }
}
