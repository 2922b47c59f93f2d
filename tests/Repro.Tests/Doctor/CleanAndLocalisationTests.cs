using Repro.Xunit;
using Xunit;

namespace Repro.Tests.Doctor;

[Collection(ReproCollection.Name)]
public sealed class CleanAndLocalisationTests
{
    [CpuFact(DisplayName = "Doctor: the clean config is clean with a second process and every perturbation, five times in a row")]
    public void Clean_config_is_clean_five_times()
    {
        for (var i = 0; i < 5; i++)
        {
            var report = DualTaskDoctor.Diagnose(DoctorSetup.Tiny(), new DoctorOptions { Store = DoctorSetup.EmptyStore(), CrossProcess = true, Perturb = true });
            Assert.True(report.IsClean, $"run {i + 1}:\n{report.Render()}");
            Assert.True(report.InProcessIdentical);
            Assert.True(report.CrossProcessIdentical);
            Assert.True(Assert.Single(report.Perturbations).Identical);
            Assert.DoesNotContain(report.Findings, f => f.Severity != FindingSeverity.Info);
        }
    }

    [CpuFact(DisplayName = "Doctor: a perturbation of DualTask's 'lstm' output on every second training is localised to step 1, forward, module lstm, with matching inputs")]
    public void Perturbation_of_lstm_is_localised()
    {
        var trainings = 0;
        var report = Repro.Doctor.Diagnose(() => new PerturbedLstm(DoctorSetup.Tiny(), Interlocked.Increment(ref trainings) % 2 == 0), new DoctorOptions { Store = DoctorSetup.EmptyStore() });
        Assert.Equal(DoctorVerdict.NonDeterministic, report.Verdict);
        var divergence = Assert.IsType<FirstDivergence>(report.FirstDivergence);
        Assert.Equal((1L, 1, "forward", "lstm", (bool?)true),
            (divergence.Step, divergence.Epoch, divergence.Phase, divergence.Name, divergence.InputsMatched));
        var finding = Assert.Single(report.WithCode(DoctorCodes.NondeterministicOperation));
        Assert.Contains("'lstm'", finding.Where);
    }

    [CpuFact(DisplayName = "Doctor: a baseline of another build of the check with other numbers is drift, with the change named; the same build with other numbers is nondeterministic-over-time, " +
        "never drift")]
    public void Drift_needs_a_recorded_change()
    {
        var (environment, fingerprint) = DoctorSetup.CleanRun;
        var moved = fingerprint with { ModelHash = "0" + fingerprint.ModelHash[1..], Epochs = [.. fingerprint.Epochs.Select(e => e.With("totalLoss", e.Metrics["totalLoss"] + 1))] };
        var olderBuild = moved with { Code = "Repro.DualTask.DualTaskCheck in Repro.DualTask.dll sha256:older; Repro 0.0.1" };

        var drift = DualTaskDoctor.Diagnose(DoctorSetup.Tiny(), new DoctorOptions { Store = DoctorSetup.StoreWithBaseline(environment, olderBuild) });
        Assert.Equal(DoctorVerdict.Warnings, drift.Verdict);
        Assert.True(drift.InProcessIdentical);
        var finding = Assert.Single(drift.WithCode(DoctorCodes.BaselineDrift));
        Assert.Contains("drift", finding.What);
        Assert.Contains("Recorded changes: code Repro.DualTask.DualTaskCheck in Repro.DualTask.dll sha256:older", finding.What);

        var sameBuild = DualTaskDoctor.Diagnose(DoctorSetup.Tiny(), new DoctorOptions { Store = DoctorSetup.StoreWithBaseline(environment, moved) });
        Assert.Equal(DoctorVerdict.NonDeterministic, sameBuild.Verdict);
        var overTime = Assert.Single(sameBuild.WithCode(DoctorCodes.NondeterministicOverTime));
        Assert.Contains("never accept", overTime.Fix);
        Assert.Empty(sameBuild.WithCode(DoctorCodes.BaselineDrift));
    }
}
