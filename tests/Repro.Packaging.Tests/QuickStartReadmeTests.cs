using Xunit;

namespace Repro.Packaging.Tests;

// The README's quick start quotes the compiled sample and the package references the end-to-end
// consumer test uses; these fail as soon as either side changes without the other.
public sealed class QuickStartReadmeTests
{
    static readonly string Readme = Normalise(File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md")));

    static string Normalise(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal);

    // Each sample file must appear whole, as one fenced block.
    public static TheoryData<string> SampleFiles() => [.. ConsumerProject.SourceFiles];

    [Theory]
    [MemberData(nameof(SampleFiles))]
    public void The_readme_quotes_the_sample_file_verbatim(string file)
    {
        var source = Normalise(File.ReadAllText(Path.Combine(ConsumerProject.SampleDirectory, file)));
        Assert.True(Readme.Contains("```csharp\n" + source + "```\n", StringComparison.Ordinal),
            $"README.md's quick start must quote samples/QuickStart/{file} exactly, in a ```csharp block; copy the file's current text into it.");
    }

    // The quick start's commands name the versions this repository builds and tests with.
    public static TheoryData<string, string> Packages() => new()
    {
        { "libtorch-cpu-linux-x64", RepoPaths.Property("build/Repro.props", "ReproLibTorchCpuVersion") },
        { "xunit.v3.mtp-off", RepoPaths.PackageVersion("xunit.v3.mtp-off") },
        { "xunit.runner.visualstudio", RepoPaths.PackageVersion("xunit.runner.visualstudio") },
        { "Microsoft.NET.Test.Sdk", RepoPaths.PackageVersion("Microsoft.NET.Test.Sdk") },
    };

    [Theory]
    [MemberData(nameof(Packages))]
    public void The_quick_start_adds_each_package_at_the_version_the_repository_uses(string id, string version)
    {
        var line = $"dotnet add package {id} --version {version} --no-restore";
        Assert.True(ConsumerProject.ReadmeCommands().Any(command => command.Trim() == line),
            $"README.md's quick-start commands must contain the line '{line}' (the version Directory.Packages.props or build/Repro.props names).");
    }

    [Fact]
    public void The_quick_start_follows_the_set_up_section()
    {
        var setUp = Readme.IndexOf("\n## Set-up: two commands\n", StringComparison.Ordinal);
        var quickStart = Readme.IndexOf("\n## Quick start: your own model\n", StringComparison.Ordinal);
        Assert.True(setUp >= 0 && quickStart > setUp, "README.md must have '## Quick start: your own model' after '## Set-up: two commands'.");
        Assert.DoesNotContain("\n## ", Readme[(setUp + 1)..quickStart][3..], StringComparison.Ordinal);
    }
}
