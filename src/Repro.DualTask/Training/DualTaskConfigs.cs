using System.Text.Json;

namespace Repro.DualTask;

/// <summary>Named configurations and config files, as the CLI and tests refer to them.</summary>
public static class DualTaskConfigs
{
    public static IReadOnlyDictionary<string, DualTaskConfig> Named { get; } = new Dictionary<string, DualTaskConfig>(StringComparer.OrdinalIgnoreCase)
    {
        ["small"] = DualTaskConfig.Small,
        ["chapter"] = DualTaskConfig.Chapter,
    };

    /// <summary>"small", "chapter", or the path of a JSON file holding a DualTaskConfig.</summary>
    public static DualTaskConfig Resolve(string nameOrPath)
    {
        if (Named.TryGetValue(nameOrPath, out var named)) return named;
        if (!File.Exists(nameOrPath))
            throw new ReproException($"Config '{nameOrPath}' is neither a known name ({string.Join(", ", Named.Keys)}) nor an existing file. Pass --config small, --config chapter, or the path of a JSON config ('repro run --config small --print-config' shows the format).");
        try
        {
            var config = ReproJson.Deserialize<DualTaskConfig>(File.ReadAllText(nameOrPath));
            config.Validate();
            return config;
        }
        catch (JsonException ex)
        {
            throw new ReproException($"Config file {nameOrPath} is not a valid DualTaskConfig: {ex.Message} ('repro run --config small --print-config' prints a valid example).", ex);
        }
    }
}
