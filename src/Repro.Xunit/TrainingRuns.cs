using System.Collections.Concurrent;

namespace Repro.Xunit;

/// <summary>
/// Trains each check once per test run and shares the result, so several assertions on one check
/// cost one training. Keyed by the check's type and the hash of its settings.
/// </summary>
internal static class TrainingRuns
{
    static readonly ConcurrentDictionary<string, Lazy<TrainedRun>> Cache = new(StringComparer.Ordinal);

    /// <summary>The run of the check <paramref name="create"/> builds, trained on first use.</summary>
    public static TrainedRun Get(Func<TrainingCheck> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        var check = create() ?? throw new ReproException("The check factory returned null; return a new check instance.");
        string key;
        try
        {
            key = check.GetType().FullName + "|" + TrainingHarness.DescribeSettings(check).Hash;
        }
        catch
        {
            check.Dispose();
            throw;
        }
        var lazy = Cache.GetOrAdd(key, _ => new Lazy<TrainedRun>(() => TrainingHarness.Train(check), LazyThreadSafetyMode.ExecutionAndPublication));
        try
        {
            return lazy.Value;
        }
        finally
        {
            // Trained (and disposed) by the harness, or unused because an equal check trained before.
            check.Dispose();
        }
    }

    /// <summary>Trains a fresh instance without caching (the re-run that separates drift from non-determinism).</summary>
    public static TrainingFingerprint TrainAgain(Func<TrainingCheck> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        return TrainingHarness.Train(create()).Fingerprint;
    }
}
