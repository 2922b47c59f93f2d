using Repro.Tests.MsBuild;
using Xunit;

namespace Repro.Tests.Packaging;

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

    [Fact]
    public void The_readme_lists_the_package_references_the_consumer_test_builds_with()
    {
        var references = ConsumerProject.PackageReferences(RepoPaths.Property("Directory.Build.props", "VersionPrefix"));
        Assert.True(Readme.Contains("```xml\n" + references + "\n```\n", StringComparison.Ordinal),
            $"README.md's quick start must list these package references (the release version, and the versions the repository builds with):\n{references}");
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
