using Repro.Xunit;
using Xunit;

namespace Repro.Tests.Doctor;

// The compact trace stored with every new baseline names the first piece of state that moved against
// it, in the order state flows through a training.
[Collection(ReproCollection.Name)]
public sealed class DriftLocalisationTests
{
    static readonly Lazy<BaselineFile> Clean = new(() => DoctorSetup.Recorded(new RegressionCheck()));

    [CpuFact(DisplayName = "Drift: one extra random draw in evaluation -> weights identical after epoch 1, generator state differs at the start of epoch 2")]
    public void An_extra_draw_in_evaluation_moves_the_generator_first()
    {
        var run = TrainingHarness.Train(new RandomDrawInEvaluation());

        var comparison = FingerprintComparer.Compare(Clean.Value, run.Fingerprint);

        Assert.False(comparison.Passed);
        var moved = Assert.IsType<MovedState>(comparison.FirstMovedState);
        Assert.Equal(("generator", (int?)2), (moved.Piece, moved.Epoch));
        Assert.Contains("weights identical after epoch 1, generator state differs at the start of epoch 2", moved.Description);
        Assert.Contains("First moved state: weights identical after epoch 1", DivergenceReport.Render(comparison, "baseline.json"));
    }

    [CpuFact(DisplayName = "Drift: the doctor settles it in a second and a perturbed process, then reports the first moved state and how to accept")]
    public void The_doctor_reports_settled_drift_with_the_first_moved_state()
    {
        var store = DoctorSetup.StoreWith(Clean.Value, nameof(RegressionCheck));

        var report = Repro.Doctor.Diagnose(() => new RandomDrawInEvaluation(), new DoctorOptions { Store = store });

        Assert.Equal(DoctorVerdict.Warnings, report.Verdict);
        Assert.True(report.CrossProcessIdentical, report.Render());
        Assert.True(Assert.Single(report.Perturbations).Identical, report.Render());
        var drift = Assert.Single(report.WithCode(DoctorCodes.BaselineDrift));
        Assert.Contains("generator state differs at the start of epoch 2", drift.What);
        Assert.Contains("approve", drift.Fix);
    }

    [CpuFact(DisplayName = "Drift: a baseline without a trace (recorded before it existed) still verifies, and names no moved state")]
    public void A_baseline_without_a_trace_compares_as_before()
    {
        var old = Clean.Value with { Fingerprint = Clean.Value.Fingerprint with { Trace = null, TrainingThreads = null, TrainingCpuCapability = null } };
        var run = TrainingHarness.Train(new RegressionCheck());

        Assert.True(FingerprintComparer.Compare(old, run.Fingerprint).Passed);
        Assert.Null(FingerprintComparer.Compare(old, run.Fingerprint with { ModelHash = "moved" }).FirstMovedState);
        Assert.DoesNotContain("\"trace\"", ReproJson.Serialize(old.Fingerprint));
    }

    [CpuFact(DisplayName = "Trace: a DualTask run records its data stages and one record per epoch")]
    public void A_dualtask_run_carries_its_trace()
    {
        var config = DoctorSetup.Tiny() with { Epochs = 2 };
        var trace = Assert.IsType<TrainingTrace>(Trainer.Train(config).Trace);

        Assert.Equal(["units", "statistics", "train-windows", "validation-windows", "test-windows"], trace.Data.Select(d => d.Stage));
        Assert.NotNull(trace.Data[0].ItemSetHash);
        Assert.Equal([1, 2], trace.Epochs.Select(e => e.Epoch));
        Assert.NotEqual(trace.Epochs[0].ModelAtEnd, trace.Epochs[1].ModelAtEnd);
        Assert.NotEqual(trace.Epochs[0].GeneratorAtStart, trace.Epochs[1].GeneratorAtStart);
    }
}
