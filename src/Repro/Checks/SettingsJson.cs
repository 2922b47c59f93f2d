using System.Text.Json;

namespace Repro;

// A check's settings as canonical JSON, and the config hash: the hash of that JSON written with
// ReproJson's options (the definition schema 1 baselines were recorded with, so they still match).
internal static class SettingsJson
{
    internal static JsonElement Of(TrainingCheck check)
    {
        var settings = check.Settings ?? throw new ReproException($"The check '{check.Name}' returned null Settings; return an object describing its hyper-parameters (or leave Settings as it is).");
        try
        {
            return JsonSerializer.SerializeToElement(settings, settings.GetType(), ReproJson.Options);
        }
        catch (Exception ex) when (ex is NotSupportedException or JsonException or InvalidOperationException)
        {
            throw new ReproException($"The settings of check '{check.Name}' ({settings.GetType().Name}) cannot be written as JSON: {ex.Message} Use a record of numbers, strings, " +
                "booleans and nested records.", ex);
        }
    }

    internal static string Hash(JsonElement settings) =>
        TensorHasher.HashBytes(JsonSerializer.SerializeToUtf8Bytes(settings, ReproJson.Options));
}
