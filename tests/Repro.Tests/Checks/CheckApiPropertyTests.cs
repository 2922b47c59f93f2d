using CsCheck;
using Repro.Xunit;
using Xunit;

namespace Repro.Tests.Checks;

// The public API of the core under generated misuse: a check that is wrong in any way the script can
// make it wrong fails with a ReproException (one line, naming the problem); a right one trains; the
// check's own exceptions reach the caller unchanged; libtorch's never do, untranslated.
[Collection(ReproCollection.Name)]
public sealed class CheckApiPropertyTests
{
    static readonly Gen<bool> Rarely = Gen.Int[0, 11].Select(i => i == 0);
    static readonly Gen<(string, double)> Metric = Gen.Select(Gen.OneOf("loss", "loss", "acc", ""), Gen.OneOf(1.0, 0.5, 0.0, -1e300, double.NaN, double.PositiveInfinity, double.NegativeInfinity));
    static readonly Gen<(string, double)[]?> EpochPlan = Gen.Frequency((12, Metric.Array[0, 2].Select(a => ((string, double)[]?)a)), (1, Gen.Const(((string, double)[]?)null)));

    static readonly Gen<CheckScript> Scripts = Gen.Select(
        Gen.Select(Gen.OneOf("scripted", "scripted", "ok-name_1.x", "", "../x", ".hidden", "a/b"), Gen.OneOf(2, 2, 1, 3, 0, -1), Rarely, Rarely, Rarely,
            Gen.OneOf(ModelKind.Linear, ModelKind.Linear, ModelKind.Linear, ModelKind.NoParameters, ModelKind.Null), Rarely, EpochPlan.Array[1, 3]),
        Gen.Select(Gen.OneOf(0.25, 0.25, double.NaN), Gen.OneOf<int?>(null, null, 1, 0, 9), Rarely, Rarely, Rarely),
        (s, f) => new CheckScript
        {
            Name = s.Item1, Epochs = s.Item2, NullDeterminism = s.Item3, NullSettings = s.Item4, UnserialisableSettings = s.Item5, Model = s.Item6,
            NullOptimizer = s.Item7, EpochMetrics = s.Item8, FinalMetric = f.Item1, BestEpoch = f.Item2, NullEvaluationValue = f.Item3,
            ThrowInTrainEpoch = f.Item4, ShapeErrorInTrainEpoch = f.Item5,
        });

    [Fact]
    public void Generated_checks_train_or_fail_with_a_repro_exception()
    {
        Property.Check(Scripts, script =>
        {
            var expected = ExpectedProblem(script);
            Exception? thrown = null;
            try { TrainingHarness.Train(new ScriptedCheck(script)); }
            catch (Exception ex) { thrown = ex; }

            Assert.False(TrainingGuard.IsActive, "a failed training must release the guard");
            if (expected is null)
            {
                Assert.True(thrown is null, $"a valid check failed: {thrown}");
                return;
            }
            Assert.NotNull(thrown);
            if (expected == "own")
            {
                Assert.IsType<InvalidOperationException>(thrown);
                return;
            }
            var repro = Assert.IsType<ReproException>(thrown);
            Assert.False(string.IsNullOrWhiteSpace(repro.Message));
            Assert.DoesNotContain("\n", repro.Message);
            Assert.Contains(expected, repro.Message);
        }, ciCases: 150, seed: 20260404);
        Repro.Advanced.Determinism.Apply(new DeterminismOptions());
    }

    // The fragment the error must contain, "own" for the check's own exception, or null when the script is valid.
    static string? ExpectedProblem(CheckScript s)
    {
        if (string.IsNullOrWhiteSpace(s.Name) || s.Name.Contains('/') || s.Name.StartsWith('.')) return "cannot name a baseline";
        if (s.Epochs < 1) return "at least 1";
        if (s.NullDeterminism) return "null Determinism";
        if (s.NullSettings) return "null Settings";
        if (s.UnserialisableSettings) return "cannot be written as JSON";
        if (s.Model == ModelKind.Null) return "no model";
        if (s.Model == ModelKind.NoParameters) return "no parameters";
        if (s.NullOptimizer) return "no optimizer";
        if (s.ThrowInTrainEpoch) return "own";
        if (s.ShapeErrorInTrainEpoch) return "libtorch failed";
        string[]? previous = null;
        for (var epoch = 1; epoch <= s.Epochs; epoch++)
        {
            var plan = s.EpochMetrics[Math.Min(epoch - 1, s.EpochMetrics.Length - 1)];
            if (plan is null) return "no metrics";
            if (plan.Any(m => string.IsNullOrWhiteSpace(m.Name))) return "must not be empty";
            if (plan.GroupBy(m => m.Name).Any(g => g.Count() > 1)) return "set twice";
            if (plan.Length == 0) return "no metrics";
            if (plan.Any(m => !double.IsFinite(m.Value))) return "cannot be compared bit for bit";
            var names = plan.Select(m => m.Name).ToArray();
            if (previous is not null && !previous.SequenceEqual(names)) return "same names";
            previous = names;
        }
        if (s.NullEvaluationValue) return "evaluation";
        if (!double.IsFinite(s.FinalMetric)) return "final metric";
        if (s.BestEpoch is { } best && (best < 1 || best > s.Epochs)) return "best epoch";
        return null;
    }
}
