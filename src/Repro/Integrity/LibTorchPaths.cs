namespace Repro;

// A baseline is committed and compared across machines, so the libtorch it ran with is recorded
// relative to a named root ({nuget}, {app}, {python}, {libtorch}) as Verify scrubs paths: the version,
// source and build identify the library; the user's home directory or checkout path does not.
internal static class LibTorchPaths
{
    internal static string Scrub(string path)
    {
        if (string.IsNullOrEmpty(path) || path.StartsWith('{')) return path;
        var normal = path.Replace('\\', '/');
        foreach (var (marker, root) in new[] { ("/.nuget/packages/", "{nuget}"), ("/site-packages/", "{python}"), ("/dist-packages/", "{python}") })
            if (normal.LastIndexOf(marker, StringComparison.Ordinal) is var at and >= 0)
                return root + "/" + normal[(at + marker.Length)..];
        foreach (var (variable, root) in new[] { ("NUGET_PACKAGES", "{nuget}"), ("REPRO_LIBTORCH_DIR", "{libtorch}") })
            if (Under(normal, System.Environment.GetEnvironmentVariable(variable)) is { } rest) return root + "/" + rest;
        if (Under(normal, AppContext.BaseDirectory) is { } app) return "{app}/" + app;
        return "{elsewhere}/" + Path.GetFileName(normal);
    }

    static string? Under(string path, string? root)
    {
        if (string.IsNullOrEmpty(root)) return null;
        var prefix = root.Replace('\\', '/').TrimEnd('/') + "/";
        return path.StartsWith(prefix, StringComparison.Ordinal) ? path[prefix.Length..] : null;
    }
}
