using Xunit;

namespace Repro.Tests.Baselines;

public sealed class FingerprintComparerTests
{
    [Fact]
    public void Identical_fingerprints_pass_exactly()
    {
        var result = FingerprintComparer.Compare(BaselineFiles.File(BaselineFiles.Fingerprint()), BaselineFiles.Fingerprint());
        Assert.True(result.Passed);
        Assert.Empty(result.Differences);
        Assert.Empty(result.MovedTensors);
    }

    [Fact]
    public void One_ulp_in_a_loss_fails_the_exact_comparison_and_names_the_epoch()
    {
        var baseline = BaselineFiles.Fingerprint();
        var moved = baseline with { Epochs = [.. baseline.Epochs.Select((e, i) => i == 1 ? e.With("rulLoss", Math.BitIncrement(e.Metrics["rulLoss"])) : e)] };
        var result = FingerprintComparer.Compare(BaselineFiles.File(baseline), moved);
        Assert.False(result.Passed);
        var first = Assert.Single(result.Differences);
        Assert.Equal(2, first.Epoch);
        Assert.Equal("rulLoss", first.Metric);
        Assert.Equal(2, result.FirstDivergingEpoch);
        Assert.Contains("the training steps computed other numbers", result.Cause);
        Assert.Null(result.FirstMovedState);
    }

    [Fact]
    public void A_moved_tensor_hash_fails_and_is_named_even_when_metrics_match()
    {
        var result = FingerprintComparer.Compare(BaselineFiles.File(BaselineFiles.Fingerprint()), BaselineFiles.Fingerprint(tensorHash: "zz"));
        Assert.False(result.Passed);
        Assert.Equal("conv1.conv.weight", result.MovedTensors[0]);
        Assert.Contains("First moved parameter: conv1.conv.weight", DivergenceReport.Render(result, "b.json"));
    }

    [Fact]
    public void A_changed_batch_order_is_reported_as_a_data_order_problem()
    {
        var result = FingerprintComparer.Compare(BaselineFiles.File(BaselineFiles.Fingerprint()), BaselineFiles.Fingerprint(order: "other"));
        Assert.False(result.Passed);
        Assert.Equal(1, result.FirstReorderedEpoch);
        Assert.Contains("batch order changed from epoch 1", result.Cause);
    }

    [Fact]
    public void Changed_data_is_reported_as_a_data_problem()
    {
        var result = FingerprintComparer.Compare(BaselineFiles.File(BaselineFiles.Fingerprint()), BaselineFiles.Fingerprint(data: "other"));
        Assert.False(result.Passed);
        Assert.StartsWith("data changed", result.Cause);
    }

    [Theory]
    [InlineData(1e-6, true)]
    [InlineData(1e-9, false)]
    public void Relative_tolerance_accepts_small_moves_and_makes_hashes_informational(double relative, bool passes)
    {
        var baseline = BaselineFiles.Fingerprint();
        var moved = BaselineFiles.Fingerprint(loss: 1.0 + 1e-7, tensorHash: "zz");
        var options = ComparisonOptions.Exact with { Default = Tolerance.Rel(relative) };
        var result = FingerprintComparer.Compare(BaselineFiles.File(baseline), moved, options);
        Assert.Equal(passes, result.Passed);
        Assert.False(result.HashesEnforced);
    }

    [Fact]
    public void Ulp_and_absolute_tolerances_bound_the_move()
    {
        Assert.True(Tolerance.InUlps(2).Accepts(1.0, Math.BitIncrement(Math.BitIncrement(1.0))));
        Assert.False(Tolerance.InUlps(1).Accepts(1.0, Math.BitIncrement(Math.BitIncrement(1.0))));
        Assert.True(Tolerance.Abs(0.5).Accepts(1.0, 1.4));
        Assert.False(Tolerance.Abs(0.5).Accepts(1.0, 1.6));
        Assert.False(Tolerance.Rel(1).Accepts(1.0, double.NaN));
        Assert.True(Tolerance.Exact.Accepts(double.NaN, double.NaN));
        Assert.Throws<ReproException>(() => Tolerance.Abs(-1));
    }

    [Fact]
    public void An_unknown_metric_name_in_a_tolerance_is_a_clear_error()
    {
        var baseline = BaselineFiles.File(BaselineFiles.Fingerprint());
        var options = ComparisonOptions.Exact.With("validationLoss", Tolerance.Rel(0.1));
        var error = Assert.Throws<ReproException>(() => FingerprintComparer.Compare(baseline, BaselineFiles.Fingerprint(), options));
        Assert.Contains("'validationLoss'", error.Message);
        Assert.Contains("validationRmse", error.Message);
    }

    [Fact]
    public void A_different_epoch_count_is_a_structural_difference()
    {
        var result = FingerprintComparer.Compare(BaselineFiles.File(BaselineFiles.Fingerprint(epochs: 3)), BaselineFiles.Fingerprint(epochs: 2));
        Assert.False(result.Passed);
        Assert.Contains("3 epochs", result.StructuralDifference);
    }

    [Fact]
    public void A_noise_envelope_passes_inside_and_fails_outside_naming_the_epoch()
    {
        var runs = new[] { BaselineFiles.Fingerprint(loss: 1.0), BaselineFiles.Fingerprint(loss: 1.02), BaselineFiles.Fingerprint(loss: 0.99) };
        var envelope = NoiseEnvelope.From(runs);
        var baseline = BaselineFiles.File(runs[0]) with { Envelope = envelope };
        Assert.True(FingerprintComparer.Compare(baseline, BaselineFiles.Fingerprint(loss: 1.01, tensorHash: "zz")).Passed);
        var outside = FingerprintComparer.Compare(baseline, BaselineFiles.Fingerprint(loss: 1.2));
        Assert.False(outside.Passed);
        Assert.Equal(1, outside.FirstDivergingEpoch);
        Assert.Contains("envelope", outside.Differences[0].Allowed);
        Assert.Throws<ReproException>(() => NoiseEnvelope.From([runs[0]]));
    }
}
