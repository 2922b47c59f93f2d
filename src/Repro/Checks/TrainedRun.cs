using System.Text.Json;

namespace Repro;

/// <summary>A finished training: the check's name and settings, the environment it ran on, and its fingerprint.</summary>
public sealed record TrainedRun(string Name, JsonElement Settings, EnvironmentFingerprint Environment, TrainingFingerprint Fingerprint);
