using System.Collections.Concurrent;

namespace Repro.Xunit;

/// <summary>
/// Trains each configuration once per test run and shares the result, so several assertions on one
/// configuration cost one training. Keyed by the config's canonical hash.
/// </summary>
public static class TrainingRuns
{
    static readonly ConcurrentDictionary<string, Lazy<TrainedCheck>> Cache = new(StringComparer.Ordinal);

    public static TrainedCheck Get(TrainingConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var key = ReproJson.Serialize(config);
        return Cache.GetOrAdd(key, _ => new Lazy<TrainedCheck>(() => Train(config), LazyThreadSafetyMode.ExecutionAndPublication)).Value;
    }

    /// <summary>Trains without caching (for the re-run that separates drift from non-determinism).</summary>
    public static TrainingFingerprint TrainAgain(TrainingConfig config) => Trainer.Train(config);

    static TrainedCheck Train(TrainingConfig config)
    {
        Determinism.Apply(config.Determinism with { Seed = config.Seed });
        var environment = EnvironmentFingerprint.Capture();
        return new TrainedCheck(config, environment, Trainer.Train(config));
    }
}

/// <summary>A configuration, the environment it trained on, and its fingerprint.</summary>
public sealed record TrainedCheck(TrainingConfig Config, EnvironmentFingerprint Environment, TrainingFingerprint Fingerprint);
