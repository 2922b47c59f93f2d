using System.Reflection;

namespace Repro.Native;

// Facts written by build/Repro.BuildFacts.targets into [AssemblyMetadata]. The entry assembly comes
// first when it carries them: from a package, Repro.dll was built once by its publisher, while the test
// project or app that runs was built here with this user's ReproBackend, ReproLibTorchDir and snapshots
// folder. All facts come from the same assembly, so an empty one there is never filled from the other.
internal static class BuildFacts
{
    static readonly IReadOnlyDictionary<string, string> Facts = Metadata(
        Assembly.GetEntryAssembly() is { } entry && Metadata(entry).ContainsKey("Repro.Backend") ? entry : typeof(BuildFacts).Assembly);

    static Dictionary<string, string> Metadata(Assembly assembly) =>
        assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Where(a => a.Key.StartsWith("Repro.", StringComparison.Ordinal))
            .GroupBy(a => a.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Last().Value ?? "", StringComparer.Ordinal);

    static string? Get(string key) => Facts.TryGetValue(key, out var value) && value.Length > 0 ? value : null;

    internal static string Backend => Get("Repro.Backend") ?? "cpu";

    internal static string? LibTorchDir => Get("Repro.LibTorchDir");

    internal static string? SnapshotsDir => Get("Repro.SnapshotsDir");
}
