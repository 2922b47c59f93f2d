namespace Repro.DualTask;

/// <summary>The chapter's evaluation metrics.</summary>
public static class RulMetrics
{
    public static double Rmse(ReadOnlySpan<float> predicted, ReadOnlySpan<float> actual)
    {
        CheckLengths(predicted.Length, actual.Length);
        double sum = 0;
        for (var i = 0; i < predicted.Length; i++)
        {
            var d = (double)predicted[i] - actual[i];
            sum += d * d;
        }
        return Math.Sqrt(sum / predicted.Length);
    }

    /// <summary>NASA's asymmetric score: late predictions (d &gt; 0) cost more than early ones.</summary>
    public static double NasaScore(ReadOnlySpan<float> predicted, ReadOnlySpan<float> actual)
    {
        CheckLengths(predicted.Length, actual.Length);
        double sum = 0;
        for (var i = 0; i < predicted.Length; i++)
        {
            var d = (double)predicted[i] - actual[i];
            sum += d < 0 ? Math.Exp(-d / 13) - 1 : Math.Exp(d / 10) - 1;
        }
        return sum;
    }

    public static double Accuracy(ReadOnlySpan<long> predicted, ReadOnlySpan<long> actual)
    {
        CheckLengths(predicted.Length, actual.Length);
        var correct = 0;
        for (var i = 0; i < predicted.Length; i++)
            if (predicted[i] == actual[i]) correct++;
        return (double)correct / predicted.Length;
    }

    static void CheckLengths(int predicted, int actual)
    {
        if (predicted != actual || predicted == 0)
            throw new ArgumentException($"Metrics need equally long, non-empty inputs (got {predicted} predictions and {actual} targets).");
    }
}
