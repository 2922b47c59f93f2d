namespace Repro;

/// <summary>The compared metrics of a fingerprint, by name; "final" metrics have no epoch.</summary>
public static class MetricSeries
{
    public static IReadOnlyList<string> EpochMetrics { get; } =
        ["totalLoss", "rulLoss", "healthLoss", "validationRmse", "validationNasaScore", "validationAccuracy"];

    public static IReadOnlyList<string> FinalMetrics { get; } = ["testRmse", "testNasaScore", "testAccuracy"];

    public static double Value(EpochRecord epoch, string metric) => metric switch
    {
        "totalLoss" => epoch.TotalLoss,
        "rulLoss" => epoch.RulLoss,
        "healthLoss" => epoch.HealthLoss,
        "validationRmse" => epoch.ValidationRmse,
        "validationNasaScore" => epoch.ValidationNasaScore,
        "validationAccuracy" => epoch.ValidationAccuracy,
        _ => throw new ReproException($"'{metric}' is not an epoch metric; use one of {string.Join(", ", EpochMetrics)}."),
    };

    public static double Value(EvaluationRecord test, string metric) => metric switch
    {
        "testRmse" => test.Rmse,
        "testNasaScore" => test.NasaScore,
        "testAccuracy" => test.Accuracy,
        _ => throw new ReproException($"'{metric}' is not a final metric; use one of {string.Join(", ", FinalMetrics)}."),
    };

    internal static bool IsKnown(string metric) => EpochMetrics.Contains(metric) || FinalMetrics.Contains(metric);
}
