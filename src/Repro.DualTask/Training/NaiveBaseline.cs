namespace Repro.DualTask;

/// <summary>
/// What a model must beat: predicting the training windows' mean (capped) RUL for every window, and
/// the training set's most frequent health class. Reported beside the model's RMSE and accuracy in
/// every run (an evaluation record: stored and shown, never compared).
/// </summary>
/// <param name="TrainMeanRul">Mean capped RUL of the training windows, the constant prediction.</param>
/// <param name="MajorityClass">Most frequent health class of the training windows (lowest index on a tie).</param>
/// <param name="ValidationRmse">RMSE of the constant prediction on the validation windows.</param>
/// <param name="ValidationAccuracy">Accuracy of the majority class on the validation windows.</param>
/// <param name="TestRmse">RMSE of the constant prediction on the test units' last windows.</param>
/// <param name="TestAccuracy">Accuracy of the majority class on the test units' last windows.</param>
public sealed record NaiveBaseline(double TrainMeanRul, int MajorityClass, double ValidationRmse, double ValidationAccuracy, double TestRmse, double TestAccuracy)
{
    /// <summary>The naive predictions of <paramref name="data"/>, fitted on its training split only.</summary>
    public static NaiveBaseline Of(PreparedData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var train = data.Train;
        if (train.Count == 0) throw new ReproException("The naive baseline needs training windows; the training split is empty.");
        var sum = 0.0;
        foreach (var rul in train.Rul) sum += rul;
        var mean = sum / train.Count;
        var counts = new long[Enum.GetValues<HealthState>().Length];
        foreach (var label in train.Health) counts[label]++;
        var majority = Array.IndexOf(counts, counts.Max());
        return new NaiveBaseline(mean, majority,
            Rmse(data.Validation, mean), Accuracy(data.Validation, majority),
            Rmse(data.Test, mean), Accuracy(data.Test, majority));
    }

    static double Rmse(WindowSet set, double constant)
    {
        if (set.Count == 0) return double.NaN;
        var sum = 0.0;
        foreach (var rul in set.Rul)
        {
            var d = constant - rul;
            sum += d * d;
        }
        return Math.Sqrt(sum / set.Count);
    }

    static double Accuracy(WindowSet set, int majority) =>
        set.Count == 0 ? double.NaN : set.Health.Count(h => h == majority) / (double)set.Count;
}
