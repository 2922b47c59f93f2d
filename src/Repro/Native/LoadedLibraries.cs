namespace Repro.Native;

// Which files the dynamic loader actually mapped: the only honest answer to "which libtorch is this".
internal static class LoadedLibraries
{
    internal static IReadOnlyList<string> Paths()
    {
        if (!File.Exists("/proc/self/maps")) return [];
        var paths = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines("/proc/self/maps"))
        {
            var slash = line.IndexOf('/');
            if (slash >= 0 && line.Contains(".so", StringComparison.Ordinal)) paths.Add(line[slash..].Trim());
        }
        return [.. paths];
    }

    internal static IReadOnlyList<string> Matching(string fileNamePrefix) =>
        [.. Paths().Where(p => Path.GetFileName(p).StartsWith(fileNamePrefix, StringComparison.Ordinal))];

    internal static string? Find(string fileNamePrefix) => Matching(fileNamePrefix).FirstOrDefault();
}
