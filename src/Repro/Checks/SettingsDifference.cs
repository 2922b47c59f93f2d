using System.Text.Json;

namespace Repro;

// Walks two settings documents and names each setting that differs ("epochs 3 -> 5"), so a refused
// resume or a baseline mismatch says which option changed instead of only showing two hashes.
internal static class SettingsDifference
{
    /// <summary>Every setting that differs, in document order: leaves by path, added and removed ones, and containers that changed kind or length whole.</summary>
    internal static IReadOnlyList<SettingChange> Between(JsonElement before, JsonElement after)
    {
        var differences = new List<SettingChange>();
        Compare("", before, after, differences);
        return differences;
    }

    /// <summary>The first few differences in one line, for an error message.</summary>
    internal static string Describe(JsonElement before, JsonElement after)
    {
        var differences = Between(before, after);
        if (differences.Count == 0) return "the settings read the same but serialise differently";
        return "changed: " + string.Join("; ", differences.Take(5)) + (differences.Count > 5 ? $"; and {differences.Count - 5} more" : "");
    }

    static void Compare(string path, JsonElement before, JsonElement after, List<SettingChange> differences)
    {
        if (before.ValueKind == JsonValueKind.Object && after.ValueKind == JsonValueKind.Object)
        {
            var names = before.EnumerateObject().Select(p => p.Name).Union(after.EnumerateObject().Select(p => p.Name), StringComparer.Ordinal);
            foreach (var name in names)
            {
                var child = path.Length == 0 ? name : path + "." + name;
                var hasBefore = before.TryGetProperty(name, out var b);
                var hasAfter = after.TryGetProperty(name, out var a);
                if (hasBefore && hasAfter) Compare(child, b, a, differences);
                else differences.Add(new SettingChange(child, hasBefore ? b.GetRawText() : null, hasAfter ? a.GetRawText() : null));
            }
            return;
        }
        if (before.ValueKind == JsonValueKind.Array && after.ValueKind == JsonValueKind.Array && before.GetArrayLength() == after.GetArrayLength())
        {
            var i = 0;
            foreach (var (b, a) in before.EnumerateArray().Zip(after.EnumerateArray()))
                Compare($"{path}[{i++}]", b, a, differences);
            return;
        }
        // Leaves compare by their JSON text; containers that differ in kind or length are shown whole, compacted.
        if (before.GetRawText() != after.GetRawText())
            differences.Add(new SettingChange(path.Length == 0 ? "settings" : path, Short(before), Short(after)));
    }

    static string Short(JsonElement element)
    {
        var text = JsonSerializer.Serialize(element);
        return text.Length > 60 ? text[..57] + "..." : text;
    }
}
