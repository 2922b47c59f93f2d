using Repro.Xunit;
using Xunit;

namespace Repro.Tests.Doctor;

// The doctor on a model it knows nothing about: localisation comes from forward hooks on every
// submodule, named by their module path.
[Collection(ReproCollection.Name)]
public sealed class UserCheckDoctorTests
{
    [CpuFact(DisplayName = "Doctor: a user's MLP on TorchSharp's Adam trains twice identically; its one warning is the optimizer's vendor-dependent square root, fixed by ReproAdamW")]
    public void A_user_check_on_torchsharps_adam_is_told_to_use_repro_adamw()
    {
        var report = Repro.Doctor.Diagnose(() => new TinyMlpCheck(), new DoctorOptions { Store = DoctorSetup.EmptyStore() });
        Assert.True(report.InProcessIdentical);
        var warning = Assert.Single(report.Findings, f => f.Severity >= FindingSeverity.Warning);
        Assert.Equal(DoctorCodes.VendorDependentOptimizer, warning.Code);
        Assert.Contains("TorchSharp.Modules.Adam", warning.What);
        Assert.Contains("ReproAdamW", warning.Fix);
    }

    [CpuFact(DisplayName = "Doctor: a user's submodule that differs between trainings is named by its module path, with matching inputs")]
    public void A_nondeterministic_submodule_of_a_user_model_is_localised_through_hooks()
    {
        var trainings = 0;
        var report = Repro.Doctor.Diagnose(() => new TinyMlpCheck(() => Interlocked.Increment(ref trainings) % 2 == 0), new DoctorOptions { Store = DoctorSetup.EmptyStore() });

        Assert.Equal(DoctorVerdict.NonDeterministic, report.Verdict);
        var divergence = Assert.IsType<FirstDivergence>(report.FirstDivergence);
        Assert.Equal((1L, "forward", "block.jitter", "block.act", (bool?)true),
            (divergence.Step, divergence.Phase, divergence.Name, divergence.Input, divergence.InputsMatched));
        Assert.Contains("block.jitter", report.Render());
    }

    [CpuFact(DisplayName = "Doctor: a user check whose baseline was recorded with other settings is drift naming the setting, never clean")]
    public void A_baseline_of_other_settings_is_drift_that_names_the_setting()
    {
        using var snapshots = new TempSnapshots();
        var recorded = TrainingHarness.Train(new TunableCheck { Rate = 0.02 });
        snapshots.Write(new BaselineFile { Test = "TunableTests.Training_reproduces", Key = recorded.Environment.Key, Config = recorded.Settings, Environment = recorded.Environment, Fingerprint = recorded.Fingerprint });

        var report = Repro.Doctor.Diagnose(() => new TunableCheck(), new DoctorOptions { Store = snapshots.Store, Test = "TunableTests.Training_reproduces", CrossProcess = true });

        Assert.Equal(DoctorVerdict.Warnings, report.Verdict);
        Assert.False(report.MatchesBaseline);
        var drift = Assert.Single(report.Findings, f => f.Code == DoctorCodes.BaselineDrift);
        Assert.Contains("rate 0.02 -> 0.05", report.Render());
    }
}
