using Repro.Advanced;
using System.Text.Json;

namespace Repro.DualTask;

/// <summary>Named configurations and config files, as the CLI and tests refer to them.</summary>
public static class DualTaskConfigs
{
    public static IReadOnlyDictionary<string, DualTaskConfig> Named { get; } = new Dictionary<string, DualTaskConfig>(StringComparer.OrdinalIgnoreCase)
    {
        ["small"] = DualTaskConfig.Small,
        ["chapter"] = DualTaskConfig.Chapter,
        ["chapter-fused"] = DualTaskConfig.ChapterFused,
        ["small-fd004"] = DualTaskConfig.SmallFd004,
    };

    // Names of configurations that became the defaults (issue 22): a clear pointer instead of "not a file".
    static readonly Dictionary<string, string> Retired = new(StringComparer.OrdinalIgnoreCase)
    {
        ["learning"] = "small",
        ["learning-fd004"] = "small-fd004",
        ["learning-chapter"] = "chapter",
    };

    /// <summary>"small", "chapter", "chapter-fused", "small-fd004", or the path of a JSON file holding a DualTaskConfig (validated, every field).</summary>
    /// <exception cref="ReproException">Neither a name nor a readable file, malformed JSON, an unknown property or an invalid field.</exception>
    public static DualTaskConfig Resolve(string nameOrPath)
    {
        ArgumentNullException.ThrowIfNull(nameOrPath);
        if (Named.TryGetValue(nameOrPath, out var named)) return named;
        if (Retired.TryGetValue(nameOrPath, out var successor) && !File.Exists(nameOrPath))
            throw new ReproException($"Config '{nameOrPath}' no longer exists: its learning options became the defaults of '{successor}'. " +
                $"Pass --config {successor} (its baselines were re-approved with them).");
        if (!File.Exists(nameOrPath))
            throw new ReproException($"Config '{nameOrPath}' is neither a known name ({string.Join(", ", Named.Keys)}) nor an existing file. Pass --config small, --config chapter, " +
                "--config chapter-fused, --config small-fd004, or the path of a JSON config ('repro run --config small --print-config' shows the format).");
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
            var value = ValueAt(json, ex.Path) is { } raw ? $"{ex.Path} is {raw}: " : "";
            throw new ReproException($"Config file {nameOrPath} is not a valid DualTaskConfig: {value}{ex.Message} ('repro run --config small --print-config' prints a valid example).", ex);
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

    // The value a type error is about (1e-3 where a whole number belongs), so the message names it
    // beside the field; null when the document does not parse or the path is not a plain property path.
    static string? ValueAt(string json, string? path)
    {
        if (path is null || !path.StartsWith("$.", StringComparison.Ordinal) || path.AsSpan(2).IndexOfAny("[]'") >= 0) return null;
        try
        {
            var node = System.Text.Json.Nodes.JsonNode.Parse(json);
            foreach (var part in path[2..].Split('.')) node = (node as System.Text.Json.Nodes.JsonObject)?[part];
            var text = node?.ToJsonString();
            return text is null ? null : text.Length > 40 ? text[..40] + "..." : text;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // A misspelt property ("hiddenSise") or one in the wrong case ("HiddenSize") would otherwise be
    // ignored and the default trained in its place, silently.
    // An enum given as a number ("device": 2) would be read as the member with that index (cuda): only
    // the names are accepted.
    static readonly JsonSerializerOptions Strict = CreateStrict();

    static JsonSerializerOptions CreateStrict()
    {
        var options = new JsonSerializerOptions(ReproJson.Options) { UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow };
        var enums = options.Converters.OfType<System.Text.Json.Serialization.JsonStringEnumConverter>().ToList();
        foreach (var converter in enums) options.Converters.Remove(converter);
        options.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
