
namespace Repro.Tests.Support.DualTask;

// The pipeline tests' baseline: the small config, two epochs to save time, pinned to the CPU.
internal static class PipelineConfigs
{
    internal static DualTaskConfig Baseline { get; } = DualTaskConfig.Small with
    {
        Epochs = 2,
        Determinism = DualTaskConfig.Small.Determinism with { Device = DeviceRequest.Cpu },
    };

    internal static string Json(TrainingFingerprint fingerprint) => ReproJson.Serialize(fingerprint);

    /// <summary>The baseline's fingerprint, trained once per test run and shared.</summary>
    internal static TrainingFingerprint BaselineFingerprint => Repro.Xunit.TrainingRuns.Get(() => new DualTaskCheck(Baseline)).Fingerprint;
}
