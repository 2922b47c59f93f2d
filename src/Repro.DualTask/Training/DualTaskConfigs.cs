using System.Text.Json;

namespace Repro.DualTask;

/// <summary>Named configurations and config files, as the CLI and tests refer to them.</summary>
public static class DualTaskConfigs
{
    public static IReadOnlyDictionary<string, DualTaskConfig> Named { get; } = new Dictionary<string, DualTaskConfig>(StringComparer.OrdinalIgnoreCase)
    {
        ["small"] = DualTaskConfig.Small,
        ["chapter"] = DualTaskConfig.Chapter,
        ["learning"] = DualTaskConfig.Learning,
        ["learning-fd004"] = DualTaskConfig.LearningFd004,
    };

    /// <summary>"small", "chapter", "learning", or the path of a JSON file holding a DualTaskConfig (validated, every field).</summary>
    /// <exception cref="ReproException">Neither a name nor a readable file, malformed JSON, an unknown property or an invalid field.</exception>
    public static DualTaskConfig Resolve(string nameOrPath)
    {
        ArgumentNullException.ThrowIfNull(nameOrPath);
        if (Named.TryGetValue(nameOrPath, out var named)) return named;
        if (!File.Exists(nameOrPath))
            throw new ReproException($"Config '{nameOrPath}' is neither a known name ({string.Join(", ", Named.Keys)}) nor an existing file. Pass --config small, --config chapter, --config learning, or the path of a JSON config ('repro run --config small --print-config' shows the format).");
        string json;
        try { json = File.ReadAllText(nameOrPath); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ReproException($"Config file {nameOrPath} cannot be read ({ex.Message}); check its permissions.", ex);
        }
        DualTaskConfig config;
        try
        {
            config = JsonSerializer.Deserialize<DualTaskConfig>(json, Strict) ?? throw new JsonException("The document is the JSON literal null.");
        }
        catch (JsonException ex)
        {
            throw new ReproException($"Config file {nameOrPath} is not a valid DualTaskConfig: {ex.Message} ('repro run --config small --print-config' prints a valid example).", ex);
        }
        try
        {
            config.Validate();
        }
        catch (ReproException ex)
        {
            throw new ReproException($"Config file {nameOrPath}: {ex.Message}", ex);
        }
        return config;
    }

    // A misspelt property ("hiddenSise") or one in the wrong case ("HiddenSize") would otherwise be
    // ignored and the default trained in its place, silently.
    static readonly JsonSerializerOptions Strict = new(ReproJson.Options) { UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow };
}
