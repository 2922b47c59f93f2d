using System.Text.Json;

namespace Repro.Cli;

// What this checkout's built-in checks look like now, for telling stale baselines and CI artifacts of
// another commit. A baseline belongs to the built-in DualTask config whose name its config carries
// (dualtask-small, dualtask-chapter; the xunit suite's tests train the same configs), on the device the
// baseline recorded. Anything else (a user's check, a config file of one's own) is unknown: null.
internal static class BuiltInChecks
{
    internal static string? CurrentConfigHash(BaselineFile file)
    {
        // The CLI's own tests (dualtask-small, ...) are named after their config: a run filed under one of
        // them must be that config, whatever its own settings say (a chapter run named dualtask-small).
        var byTest = DualTaskConfigs.Named.Values.FirstOrDefault(c => c.Name == file.Test);
        DualTaskConfig recorded;
        try
        {
            recorded = ReproJson.Deserialize<DualTaskConfig>(file.Config.GetRawText());
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException)
        {
            return byTest is null ? null : HashOf(byTest, byTest.Determinism.Device);
        }
        if (byTest is not null && recorded.Name != byTest.Name) return HashOf(byTest, recorded.Determinism.Device);
        if (DualTaskConfigs.Named.Values.FirstOrDefault(c => c.Name == recorded.Name) is not { } named) return null;
        // Any check's settings read as a DualTaskConfig (unknown fields ignored, the rest defaulted): they are a
        // DualTask config only when they hash, read that way, to what the run recorded.
        using (var asRecorded = new DualTaskCheck(recorded))
            if (SettingsJson.Hash(SettingsJson.Of(asRecorded)) != file.Fingerprint.ConfigHash)
                return byTest is null ? null : HashOf(byTest, recorded.Determinism.Device);
        return HashOf(named, recorded.Determinism.Device);
    }

    /// <summary>
    /// For a local approval: only a received file filed under one of the CLI's own tests (named after its
    /// config) is held to that config; a run of one's own config file under another test name is the user's choice.
    /// </summary>
    internal static string? CurrentConfigHashOfBuiltInTest(BaselineFile file) =>
        DualTaskConfigs.Named.Values.Any(c => c.Name == file.Test) ? CurrentConfigHash(file) : null;

    static string HashOf(DualTaskConfig config, DeviceRequest device)
    {
        using var check = new DualTaskCheck(config with { Determinism = config.Determinism with { Device = device } });
        return SettingsJson.Hash(SettingsJson.Of(check));
    }
}
