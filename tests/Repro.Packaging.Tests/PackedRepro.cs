using System.Reflection;
using Repro.Packaging.Tests.Build;

namespace Repro.Packaging.Tests;

/// <summary>
/// The solution's packages as a user gets them: <c>dotnet pack</c> of the solution into a local folder
/// feed (a temp directory).
/// Packed once per test class from the build these tests run from (<c>--no-build</c>: the same
/// configuration's outputs), under a version no earlier run used, so no stale copy can be restored;
/// the consumer installs the tool from it as the README says.
/// </summary>
public sealed class PackedRepro : IDisposable
{
    /// <summary>The packages every consumer needs; Repro.Reports comes as Repro.Xunit's dependency.</summary>
    internal static readonly string[] PackageIds = ["Repro", "Repro.Reports", "Repro.Xunit", "Repro.Cli"];

    public PackedRepro()
    {
        Root = Directory.CreateTempSubdirectory("repro-packages-").FullName;
        Feed = Path.Combine(Root, "feed");
        var configuration = typeof(PackedRepro).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        // A prerelease suffix unique to this run: the version a consumer restores exists only in this feed.
        var suffix = $"e2e.{DateTime.UtcNow:yyyyMMddHHmmss}.{System.Environment.ProcessId}";
        Pack = DotNetCli.Run(RepoPaths.Root, "pack", "Repro.sln", "--no-build", "--disable-build-servers", "-c", configuration,
            "-o", Feed, $"-p:VersionSuffix={suffix}");
        Version = Pack.ExitCode == 0 && Directory.Exists(Feed)
            ? Directory.GetFiles(Feed, "Repro.Xunit.*.nupkg").Select(p => Path.GetFileNameWithoutExtension(p)["Repro.Xunit.".Length..]).SingleOrDefault()
            : null;
    }

    /// <summary>The temp directory holding the feed and the tool.</summary>
    public string Root { get; }

    /// <summary>The local folder feed with the packed .nupkg files.</summary>
    public string Feed { get; }

    /// <summary>The version every package was packed with; null when packing failed.</summary>
    public string? Version { get; }

    internal DotNetCli.Result Pack { get; }

    /// <summary>The .nuspec inside the packed package <paramref name="id"/>.</summary>
    internal string Nuspec(string id)
    {
        using var package = System.IO.Compression.ZipFile.OpenRead(Path.Combine(Feed, $"{id}.{Version}.nupkg"));
        using var reader = new StreamReader(package.GetEntry(id + ".nuspec")!.Open());
        return reader.ReadToEnd();
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { }
    }
}
