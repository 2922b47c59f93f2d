using System.Reflection;

namespace Repro.Native;

// Facts written by build/Repro.BuildFacts.targets into [AssemblyMetadata] of this assembly.
internal static class BuildFacts
{
    static string? Get(string key) =>
        typeof(BuildFacts).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == key)?.Value is { Length: > 0 } v ? v : null;

    internal static string Backend => Get("Repro.Backend") ?? "cpu";

    internal static string? LibTorchDir => Get("Repro.LibTorchDir");

    internal static string? SnapshotsDir => Get("Repro.SnapshotsDir");
}
