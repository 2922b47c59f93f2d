using System.Text.RegularExpressions;
using Repro.Tests.MsBuild;
using Xunit;

namespace Repro.Tests.Packaging;

// What a user of the NuGet packages lives through, on a model of another family than DualTask (the
// quick-start CNN): a fresh test project outside the solution that references only the packed
// packages, the first `dotnet test` failing for want of a baseline, `repro approve` from the packed
// tool, a passing run, and a learning-rate change that fails naming epoch 1 and a parameter.
// Slow (pack, restore, three builds and test runs): filter it out with "Category!=Packaging".
[Trait("Category", "Packaging")]
[Collection(MsBuildCollection.Name)]
public sealed partial class ConsumerEndToEndTests(PackedRepro packages) : IClassFixture<PackedRepro>
{
    const string Test = "ShapesTests.Training_reproduces";

    [Fact]
    public void A_fresh_project_goes_from_no_baseline_to_approved_to_a_named_divergence()
    {
        Assert.True(packages.Pack.ExitCode == 0, $"dotnet pack of the solution failed: {packages.Pack}");
        foreach (var id in PackedRepro.PackageIds)
            Assert.True(File.Exists(Path.Combine(packages.Feed, $"{id}.{packages.Version}.nupkg")), $"dotnet pack made no {id} package: {packages.Pack}");
        Assert.True(packages.ToolInstall is { ExitCode: 0 }, $"installing the packed repro tool failed: {packages.ToolInstall}");
        using var consumer = ConsumerProject.Create(packages);

        var first = consumer.DotNet("test", "--disable-build-servers");
        Assert.True(first.ExitCode != 0, $"the first run must fail for want of a baseline: {first}");
        Assert.Contains("No baseline for ", first.Output);
        Assert.Equal(new DotNetCli.Summary(Failed: 1, Passed: 0, Skipped: 0, Total: 1), DotNetCli.ParseSummary(first));
        // Under the project's own snapshots/ folder: the package's default ReproSnapshotsDir for a consumer.
        Assert.True(consumer.Snapshots("*.received.json").Count == 1, $"the first run must write one received file under {consumer.Directory}/snapshots: {first}");
        var received = consumer.Snapshots("*.received.json")[0];
        Assert.Equal(Test + ".received.json", Path.GetFileName(received));
        // The package's buildTransitive targets ran: the test run's native environment came from them.
        Assert.Contains("<CUBLAS_WORKSPACE_CONFIG>:4096:8</CUBLAS_WORKSPACE_CONFIG>", File.ReadAllText(Path.Combine(consumer.Directory, "obj", "repro.runsettings")));

        var approve = consumer.Repro(packages, "approve");
        Assert.True(approve.ExitCode == 0, $"repro approve failed: {approve}");
        Assert.Contains("Accepted ", approve.Output);
        var verified = Assert.Single(consumer.Snapshots("*.verified.json"));
        Assert.Equal(Path.ChangeExtension(Path.ChangeExtension(received, null), null) + ".verified.json", verified);
        Assert.Empty(consumer.Snapshots("*.received.json"));

        var second = consumer.DotNet("test", "--no-restore", "--disable-build-servers");
        Assert.True(second.ExitCode == 0, $"the run after approving must pass: {second}");
        Assert.Equal(new DotNetCli.Summary(Failed: 0, Passed: 1, Skipped: 0, Total: 1), DotNetCli.ParseSummary(second));

        consumer.Edit("ShapesCheck.cs", "LearningRate { get; init; } = 0.003;", "LearningRate { get; init; } = 0.006;");
        var third = consumer.DotNet("test", "--no-restore", "--disable-build-servers");
        Assert.True(third.ExitCode != 0, $"a changed learning rate must fail: {third}");
        Assert.Contains("Training numbers differ from " + verified, third.Output);
        Assert.Contains("First divergence: epoch 1, loss", third.Output);
        Assert.Matches(MovedParameter(), third.Output);
        Assert.Contains("so this is drift", third.Output);
    }

    // A parameter of the sample's Sequential, by the name it gave the layer.
    [GeneratedRegex(@"First moved parameter: (conv1|norm1|conv2|head)\.(weight|bias) ")]
    private static partial Regex MovedParameter();
}
