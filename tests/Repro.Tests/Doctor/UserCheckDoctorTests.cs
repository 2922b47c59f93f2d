using Repro.Tests.UserChecks;
using Repro.Xunit;
using Xunit;

namespace Repro.Tests.DoctorTests;

// The doctor on a model it knows nothing about: localisation comes from forward hooks on every
// submodule, named by their module path.
[Collection(ReproCollection.Name)]
public sealed class UserCheckDoctorTests
{
    [CpuFact(DisplayName = "Doctor: a user's MLP trains twice identically and is clean")]
    public void A_clean_user_check_is_clean()
    {
        var report = Repro.Doctor.Diagnose(() => new TinyMlpCheck(), new DoctorOptions { Store = DoctorSetup.EmptyStore() });
        Assert.True(report.IsClean, report.Render());
        Assert.True(report.InProcessIdentical);
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
}
