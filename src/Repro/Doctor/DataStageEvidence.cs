namespace Repro;

/// <summary>How the first differing data stage of two runs differs.</summary>
/// <param name="Stage">The first stage whose values differ.</param>
/// <param name="IdenticalBefore">Stages recorded before it, identical in both runs.</param>
/// <param name="RoundingLevel">Every difference is within a few units in the last place of the stage's largest value: a different summation order, not different data.</param>
/// <param name="Differing">How many values differ.</param>
/// <param name="Count">Values in the stage.</param>
internal sealed record DataStageDifference(string Stage, IReadOnlyList<string> IdenticalBefore, bool RoundingLevel, long Differing, long Count)
{
    internal string Describe() =>
        $"data stage '{Stage}'" + (IdenticalBefore.Count == 0 ? "" : $" (after {string.Join(", ", IdenticalBefore.Select(s => $"'{s}'"))}, identical)") +
        $": {Differing} of {Count} values differ" + (RoundingLevel ? ", each only in the last bits (rounding level)" : "");
}

// Prepares the data of two trainings again (stopping at the model's input in their first step) with the values of every
// float or double data stage the check records, and compares them stage by stage.
internal static class DataStageEvidence
{
    // Differences up to this many units of the last place of the stage's largest magnitude are what a
    // different summation order gives; unseeded noise is orders of magnitude larger.
    const double RoundingUlps = 64;

    internal static DataStageDifference? Compare(Func<TrainingCheck> create) => Compare(Capture(create), Capture(create));

    /// <summary>
    /// An intermittent fault (a reduction whose order depends on scheduling) can give equal data many times in a
    /// row, the more so on a busy machine: prepares the data again (only the data, up to the first step's model
    /// input) at least <paramref name="runs"/> times, and on while the preparations stay within
    /// <paramref name="budget"/> in all, up to <paramref name="most"/>, comparing each with the first; null when
    /// every one is equal or the check records nothing the doctor can compare. <c>Settled</c>: a difference beyond
    /// rounding that two more preparations repeat, data that changed once and stayed (the clock turned, a file changed).
    /// </summary>
    internal static (DataStageDifference Difference, int Run, bool Settled)? CompareRepeatedly(Func<TrainingCheck> create, int runs, int most, TimeSpan budget)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var reference = Capture(create);
        if (reference.Count == 0) return null;
        for (var run = 1; run <= runs || (run <= most && clock.Elapsed < budget); run++)
        {
            var prepared = Capture(create);
            if (Compare(reference, prepared) is not { } difference) continue;
            var settled = !difference.RoundingLevel && Compare(prepared, Capture(create)) is null && Compare(prepared, Capture(create)) is null;
            return (difference, run, settled);
        }
        return null;
    }

    // Set while the doctor's own two trainings run (one at a time: the training guard), so that their
    // data stages are kept by value without the step observer (and its hooks) that would slow every step.
    static volatile DataCapture? _during;

    internal static IDataObserver? During => _during;

    // Values kept per doctor training (8 bytes each): the small check's stages fit many times over; a large
    // data set's later stages are compared by preparing the data again instead.
    const long KeptDuringTraining = 16_000_000;

    /// <summary>Trains through <paramref name="train"/> keeping the values of every data stage the check records.</summary>
    internal static List<StageValues> Keeping(Action train)
    {
        var capture = new DataCapture(KeptDuringTraining, stopAtFirstInput: false);
        _during = capture;
        try
        {
            train();
        }
        finally
        {
            _during = null;
        }
        return capture.Stages;
    }

    internal static DataStageDifference? Compare(List<StageValues> first, List<StageValues> second)
    {
        var identical = new List<string>();
        foreach (var a in first)
        {
            var stage = a.Stage;
            var b = second.FirstOrDefault(s => s.Stage == stage);
            if (b is null) return null;
            if (a.Values.AsSpan().SequenceEqual(b.Values)) { identical.Add(stage); continue; }
            if (a.Values.Length != b.Values.Length) return new DataStageDifference(stage, identical, false, Math.Max(a.Values.Length, b.Values.Length), a.Values.Length);
            var differing = 0L;
            var largest = 0.0;
            var worst = 0.0;
            for (var i = 0; i < a.Values.Length; i++)
            {
                largest = Math.Max(largest, Math.Max(Math.Abs(a.Values[i]), Math.Abs(b.Values[i])));
                if (a.Values[i].Equals(b.Values[i])) continue;
                differing++;
                worst = Math.Max(worst, Math.Abs(a.Values[i] - b.Values[i]));
            }
            var epsilon = a.SinglePrecision ? MathF.BitIncrement(1f) - 1f : Math.BitIncrement(1.0) - 1.0;
            var rounding = double.IsFinite(worst) && worst <= RoundingUlps * epsilon * largest;
            return new DataStageDifference(stage, identical, rounding, differing, a.Values.Length);
        }
        return null;
    }

    static List<StageValues> Capture(Func<TrainingCheck> create)
    {
        var capture = new DataCapture();
        try
        {
            using var result = TrainingHarness.Run(create(), capture, null);
        }
        catch (StopTracing) { }
        return capture.Stages;
    }

    internal sealed record StageValues(string Stage, double[] Values, bool SinglePrecision);

    // Collects data stages (and the first step's samples and model input) and, unless kept during a whole training,
    // ends the training at the first step's model input.
    sealed class DataCapture(long keep = long.MaxValue, bool stopAtFirstInput = true) : ITrainingObserver, IDataObserver
    {
        long _kept;
        bool _full;

        internal List<StageValues> Stages { get; } = [];

        public IForwardTrace? ForwardTrace => null;

        // Past the bound, no later stage is kept either: a comparison then ends at the last stage both runs kept.
        // A preparation ends once the model has seen the first step's input (FirstStepValues), at the second step at the latest.
        public void OnData(string stage, double[] values, bool singlePrecision)
        {
            if (_full || (_kept += values.Length) > keep) { _full = true; return; }
            Stages.Add(new StageValues(stage, values, singlePrecision));
            if (stopAtFirstInput && stage == FirstStepValues.Input) throw new StopTracing();
        }

        public void OnBatch(int epoch, long step, ReadOnlySpan<int> indices)
        {
            if (stopAtFirstInput && step > 1) throw new StopTracing();
        }

        public void OnModule(string module, string inputHash, string outputHash) { }

        public void OnGradients(long step, IReadOnlyList<(string Name, TorchSharp.torch.Tensor Gradient)> gradients) { }

        public void OnUpdate(long step, IReadOnlyList<(string Name, TorchSharp.torch.Tensor Parameter)> parameters) { }
    }
}
