using System.Collections.Concurrent;
using System.Reflection;
using System.Security.Cryptography;

namespace Repro;

// What code produced a run: the check's type, its assembly (the file's SHA-256) and Repro's own version. A
// baseline that records it lets a mismatch tell drift (something recorded changed) from
// non-determinism across time or processes (nothing did, yet the numbers moved).
internal static class CodeIdentity
{
    static readonly ConcurrentDictionary<string, string> Hashes = new(StringComparer.Ordinal);

    /// <summary>"MyTests.MyCheck in MyTests.dll sha256:0123...; Repro 0.1.0-dev.g1234567", or null for an assembly without a file.</summary>
    internal static string? Of(Type check)
    {
        var location = check.Assembly.Location;
        if (location.Length == 0 || !File.Exists(location)) return null;
        var hash = Hashes.GetOrAdd(location, path => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)))[..32]);
        return $"{check.FullName} in {Path.GetFileName(location)} sha256:{hash}; Repro {ReproVersion()}";
    }

    static string ReproVersion() =>
        typeof(CodeIdentity).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "unknown";
}
