using System.Text.Json;

namespace Repro.Advanced;

/// <summary>A finished training: the check's name and settings, the environment it ran on, and its fingerprint.</summary>
public sealed record TrainedRun(string Name, JsonElement Settings, EnvironmentFingerprint Environment, TrainingFingerprint Fingerprint)
{
    /// <summary>
    /// How the training steps ran when the check used <see cref="TrainingContext.CaptureStep"/> (eagerly, or
    /// replayed from CUDA graphs); null otherwise. Not part of the fingerprint: both give the same bits.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string? Steps { get; init; }
}
