using Repro.Tests.MsBuild;

namespace Repro.Tests.Packaging;

/// <summary>
/// A fresh xunit v3 test project in a temp directory outside the solution, made of the quick-start
/// sample's source files (samples/QuickStart) and a project file that references only packages: Repro
/// from the local feed, the rest from the machine's usual NuGet sources.
/// </summary>
/// <remarks>
/// Its nuget.config gives it a global packages folder of its own, so the Repro packages are extracted
/// fresh for every consumer, and the machine's global packages folder as a fallback folder, so
/// TorchSharp, libtorch and xunit are used in place instead of being extracted again.
/// </remarks>
internal sealed class ConsumerProject : IDisposable
{
    internal const string ProjectName = "QuickStart.Tests";

    /// <summary>The files a user writes, copied verbatim from samples/QuickStart.</summary>
    internal static readonly string[] SourceFiles = ["ShapesCheck.cs", "ShapesTests.cs", "ReproSetup.cs"];

    ConsumerProject(string directory) => Directory = directory;

    internal string Directory { get; }

    internal static string SampleDirectory => Path.Combine(RepoPaths.Root, "samples", "QuickStart");

    internal static ConsumerProject Create(PackedRepro packages)
    {
        var project = new ConsumerProject(System.IO.Directory.CreateTempSubdirectory("repro-consumer-").FullName);
        foreach (var file in SourceFiles)
            File.Copy(Path.Combine(SampleDirectory, file), Path.Combine(project.Directory, file));
        project.Write(ProjectName + ".csproj", ProjectFile(PackageReferences(packages.Version!)));
        project.Write("nuget.config", NuGetConfig(packages.Feed, Path.Combine(project.Directory, ".packages")));
        return project;
    }

    /// <summary>
    /// The PackageReference lines of the quick start: the README shows them with the release version,
    /// this test uses them with the version it packed.
    /// </summary>
    internal static string PackageReferences(string reproVersion) => string.Join('\n',
        $"""<PackageReference Include="Repro.Xunit" Version="{reproVersion}" />""",
        $"""<PackageReference Include="libtorch-cpu-linux-x64" Version="{RepoPaths.Property("build/Repro.props", "ReproLibTorchCpuVersion")}" />""",
        $"""<PackageReference Include="xunit.v3.mtp-off" Version="{RepoPaths.PackageVersion("xunit.v3.mtp-off")}" />""",
        $"""<PackageReference Include="xunit.runner.visualstudio" Version="{RepoPaths.PackageVersion("xunit.runner.visualstudio")}" />""",
        $"""<PackageReference Include="Microsoft.NET.Test.Sdk" Version="{RepoPaths.PackageVersion("Microsoft.NET.Test.Sdk")}" />""");

    static string ProjectFile(string packageReferences) => $"""
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <TargetFramework>net10.0</TargetFramework>
            <OutputType>Exe</OutputType>
            <IsTestProject>true</IsTestProject>
            <Nullable>enable</Nullable>
            <ImplicitUsings>enable</ImplicitUsings>
            <NoWarn>$(NoWarn);NU1603</NoWarn>
          </PropertyGroup>
          <ItemGroup>
        {string.Join('\n', packageReferences.Split('\n').Select(line => "    " + line))}
          </ItemGroup>
        </Project>
        """;

    static string NuGetConfig(string feed, string packages)
    {
        var machinePackages = System.Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured ? configured
            : Path.Combine(System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        return $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config>
                <add key="globalPackagesFolder" value="{packages}" />
              </config>
              <packageSources>
                <add key="repro-local" value="{feed}" />
              </packageSources>
              <fallbackPackageFolders>
                <add key="machine-packages" value="{machinePackages}" />
              </fallbackPackageFolders>
            </configuration>
            """;
    }

    internal void Write(string name, string text) => File.WriteAllText(Path.Combine(Directory, name), text);

    /// <summary>Replaces exactly one occurrence of <paramref name="old"/> in a source file (as a user edits it).</summary>
    internal void Edit(string file, string old, string replacement)
    {
        var path = Path.Combine(Directory, file);
        var text = File.ReadAllText(path);
        var at = text.IndexOf(old, StringComparison.Ordinal);
        if (at < 0 || text.IndexOf(old, at + old.Length, StringComparison.Ordinal) >= 0)
            throw new InvalidOperationException($"{file} must contain '{old}' exactly once; the sample changed, so change this test with it.");
        File.WriteAllText(path, text[..at] + replacement + text[(at + old.Length)..]);
    }

    /// <summary>Baseline files under the project's snapshots/ folder (the consumer default of ReproSnapshotsDir).</summary>
    internal IReadOnlyList<string> Snapshots(string pattern)
    {
        var root = Path.Combine(Directory, "snapshots");
        return System.IO.Directory.Exists(root) ? System.IO.Directory.GetFiles(root, pattern, SearchOption.AllDirectories) : [];
    }

    internal DotNetCli.Result DotNet(params string[] arguments) => DotNetCli.Run(Directory, arguments);

    /// <summary>
    /// Runs the packed tool here, as a developer at a workstation does: accepting is refused on CI by
    /// design, and this test also runs on CI, so the CI markers are left out of the tool's environment.
    /// </summary>
    internal DotNetCli.Result Repro(PackedRepro packages, params string[] arguments) =>
        DotNetCli.RunProgram(packages.Tool, Directory, arguments, variables =>
        {
            foreach (var name in CiDetector.Variables) variables.Remove(name);
        });

    public void Dispose()
    {
        try { System.IO.Directory.Delete(Directory, recursive: true); }
        catch (IOException) { }
    }
}
