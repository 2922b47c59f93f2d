
namespace Repro.Tests.Support;

internal static class RepoPaths
{
    // The tests run from tests/Repro.Tests/bin/<config>/<tfm>; the repository root is where Repro.sln is.
    internal static string Root { get; } = FindRoot();

    static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Repro.sln"))) return dir.FullName;
        throw new InvalidOperationException($"No Repro.sln above {AppContext.BaseDirectory}; the MSBuild tests must run from a build inside the repository.");
    }

    /// <summary>A package version from Directory.Packages.props, so the probe project uses exactly what the repo uses.</summary>
    internal static string PackageVersion(string id)
    {
        var props = System.Xml.Linq.XDocument.Load(Path.Combine(Root, "Directory.Packages.props"));
        return props.Descendants("PackageVersion").FirstOrDefault(e => (string?)e.Attribute("Include") == id)?.Attribute("Version")?.Value
            ?? throw new InvalidOperationException($"Directory.Packages.props has no PackageVersion for {id}.");
    }

    /// <summary>A property as build/Repro.props or Directory.Build.props (<paramref name="file"/>, from the root) defines it.</summary>
    internal static string Property(string file, string name) =>
        System.Xml.Linq.XDocument.Load(Path.Combine(Root, file)).Descendants(name).FirstOrDefault()?.Value
            ?? throw new InvalidOperationException($"{file} defines no {name}.");

    /// <summary>TorchSharp's native library as restored into the NuGet cache (read, never written).</summary>
    internal static string TorchSharpNativeInCache => Path.Combine(
        System.Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } packages ? packages
            : Path.Combine(System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile), ".nuget", "packages"),
        "torchsharp", PackageVersion("TorchSharp"), "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
}
