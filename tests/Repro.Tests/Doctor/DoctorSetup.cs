
namespace Repro.Tests.Doctor;

// A config small enough to train in well under a second (8 short units, batches of 32, one epoch)
// while keeping every layer, dropout and several optimizer steps, plus a throw-away baseline store.
internal static class DoctorSetup
{
    internal const string Test = "doctor-tiny";

    internal static DualTaskConfig Tiny(DeviceRequest device = DeviceRequest.Cpu) => DualTaskConfig.Small with
    {
        Name = Test,
        Epochs = 1,
        BatchSize = 32,
        Data = new DataSource { Synthetic = new SyntheticCmapssOptions { TrainUnits = 8, TestUnits = 2, MinLife = 45, MaxLife = 60 } },
        Determinism = DualTaskConfig.Small.Determinism with { Device = device },
    };

    internal static BaselineStore EmptyStore() => new(Directory.CreateTempSubdirectory("repro-doctor-tests-").FullName);

    /// <summary>A store holding one verified baseline of <see cref="Test"/>, recorded on <paramref name="environment"/>.</summary>
    internal static BaselineStore StoreWithBaseline(EnvironmentFingerprint environment, TrainingFingerprint fingerprint)
    {
        var store = EmptyStore();
        var file = new BaselineFile { Test = Test, Key = environment.Key, Config = DualTaskRuns.Settings(Tiny()), Environment = environment, Fingerprint = fingerprint };
        var path = store.VerifiedPath(environment.Key, Test);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, ReproJson.Serialize(file));
        return store;
    }

    /// <summary>A store holding <paramref name="run"/> as the verified baseline of <paramref name="test"/>.</summary>
    internal static BaselineStore StoreWith(BaselineFile run, string test)
    {
        var store = EmptyStore();
        var path = store.VerifiedPath(run.Key, test);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, ReproJson.Serialize(run with { Test = test }));
        return store;
    }

    /// <summary>A run trained here, as a baseline file.</summary>
    internal static BaselineFile Recorded(TrainingCheck check)
    {
        var run = TrainingHarness.Train(check);
        return new BaselineFile { Test = run.Name, Key = run.Environment.Key, Config = run.Settings, Environment = run.Environment, Fingerprint = run.Fingerprint };
    }

    /// <summary>A clean run's environment and fingerprint, trained once per test process.</summary>
    internal static (EnvironmentFingerprint Environment, TrainingFingerprint Fingerprint) CleanRun => Clean.Value;

    static readonly Lazy<(EnvironmentFingerprint, TrainingFingerprint)> Clean = new(() =>
    {
        var config = Tiny();
        Repro.Advanced.Determinism.Apply(config.Determinism with { Seed = config.Seed });
        var environment = EnvironmentFingerprint.Capture();
        return (environment, Trainer.Train(config));
    });
}
