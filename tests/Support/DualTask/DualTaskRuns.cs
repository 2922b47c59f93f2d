using System.Text.Json;

namespace Repro.Tests.Support.DualTask;

// DualTask configs and fingerprints in the shapes the generic API takes, for tests that build
// baselines and runs by hand.
internal static class DualTaskRuns
{
    internal static JsonElement Settings(DualTaskConfig config) => TrainingHarness.DescribeSettings(new DualTaskCheck(config)).Settings;

    internal static string ConfigHash(DualTaskConfig config) => TrainingHarness.DescribeSettings(new DualTaskCheck(config)).Hash;

    internal static TrainedRun Run(DualTaskConfig config, EnvironmentFingerprint environment, TrainingFingerprint fingerprint) =>
        new(config.Name, Settings(config), environment, fingerprint);

    internal static EpochRecord Epoch(int epoch, double total, double rul, double health, double rmse, double nasa, double accuracy, string order) =>
        new(epoch, new Metrics
        {
            ["totalLoss"] = total, ["rulLoss"] = rul, ["healthLoss"] = health,
            ["validationRmse"] = rmse, ["validationNasaScore"] = nasa, ["validationAccuracy"] = accuracy,
        }, order);

    internal static IReadOnlyDictionary<string, double> TestMetrics(double rmse, double nasa, double accuracy) =>
        new Metrics { ["testRmse"] = rmse, ["testNasaScore"] = nasa, ["testAccuracy"] = accuracy };

    /// <summary>The same epoch with one metric replaced.</summary>
    internal static EpochRecord With(this EpochRecord epoch, string metric, double value) =>
        epoch with { Metrics = Metrics.From(epoch.Metrics.Select(m => m.Key == metric ? new KeyValuePair<string, double>(m.Key, value) : m)) };
}
