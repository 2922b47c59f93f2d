
namespace Repro.Packaging.Tests.Build;

/// <summary>
/// A throwaway test project outside the repository that consumes Repro the way a user's project
/// does: it imports build/Repro.props and build/Repro.targets and references the built Repro and
/// Repro.Xunit assemblies. Created and restored once per test class; deleted afterwards.
/// </summary>
public sealed class ProbeProject : IDisposable
{
    public ProbeProject()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("repro-msbuild-").FullName;
        var build = Path.Combine(RepoPaths.Root, "build");
        // Outside the repository nothing imports the repo's Directory.Build.* files; these do it explicitly.
        Write("Directory.Build.props", $"""<Project><Import Project="{Path.Combine(build, "Repro.props")}" /></Project>""");
        Write("Directory.Build.targets", $"""<Project><Import Project="{Path.Combine(build, "Repro.targets")}" /></Project>""");
        Write("Probe.Tests.csproj", Project());
        Write("ProbeTests.cs", Tests);
        Restore = DotNetCli.Run(Directory, "restore", "--disable-build-servers");
    }

    /// <summary>The project folder (a temp directory).</summary>
    public string Directory { get; }

    /// <summary>The result of <c>dotnet restore</c>; the tests check it before relying on it.</summary>
    internal DotNetCli.Result Restore { get; }

    public void Dispose()
    {
        try { System.IO.Directory.Delete(Directory, recursive: true); }
        catch (IOException) { }
    }

    void Write(string name, string text) => File.WriteAllText(Path.Combine(Directory, name), text);

    static string Project()
    {
        string Package(string id) => $"""    <PackageReference Include="{id}" Version="{RepoPaths.PackageVersion(id)}" />""";
        string Reference(string name) => $"""    <Reference Include="{name}" HintPath="{Path.Combine(AppContext.BaseDirectory, name + ".dll")}" />""";
        return $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <OutputType>Exe</OutputType>
                <IsTestProject>true</IsTestProject>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
                <NoWarn>$(NoWarn);NU1603</NoWarn>
              </PropertyGroup>
              <ItemGroup>
            {Package("xunit.v3.mtp-off")}
            {Package("xunit.runner.visualstudio")}
            {Package("Microsoft.NET.Test.Sdk")}
                <!-- A test project under ReproBackend=cpu names its libtorch (build/Repro.Backend.targets checks it). -->
                <PackageReference Include="libtorch-cpu-linux-x64" Version="{RepoPaths.Property("build/Repro.props", "ReproLibTorchCpuVersion")}" />
            {Reference("Repro")}
            {Reference("Repro.Xunit")}
              </ItemGroup>
              <ItemGroup>
                <!-- The native library the GLIBCXX fix works on, copied from the NuGet cache like a package asset. -->
                <None Include="{RepoPaths.TorchSharpNativeInCache}" CopyToOutputDirectory="PreserveNewest" Link="libLibTorchSharp.so" />
              </ItemGroup>
            </Project>
            """;
    }

    const string Tests = """
        using System.Runtime.InteropServices;
        using Repro.Xunit;
        using Xunit;

        public class ProbeTests
        {
            [DllImport("libc.so.6", EntryPoint = "getenv")]
            static extern IntPtr GetEnv(string name);

            // getenv, not Environment.GetEnvironmentVariable: the point is what native code sees.
            static string? Native(string name) => GetEnv(name) is var p && p != IntPtr.Zero ? Marshal.PtrToStringUTF8(p) : null;

            [CpuFact]
            public void CpuTest() { }

            [GpuFact]
            public void GpuTest() { }

            [Fact]
            public void NativeEnvironment()
            {
                Assert.Equal(":4096:8", Native("CUBLAS_WORKSPACE_CONFIG"));
                Assert.Equal("hello", Native("REPRO_PROBE"));
            }
        }
        """;
}
