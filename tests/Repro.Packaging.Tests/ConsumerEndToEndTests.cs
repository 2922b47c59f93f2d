using System.Text.RegularExpressions;
using Xunit;
using Repro.Packaging.Tests.Build;

namespace Repro.Packaging.Tests;

// What a user of the NuGet packages lives through, on a model of another family than DualTask (the
// quick-start CNN): the README's quick start run verbatim in an empty folder, the first `dotnet test`
// failing for want of a baseline, `dotnet repro approve`, a passing run (the mid-epoch resume test
// included), the CLI and `status` agreeing with the test on the baseline, the resume hint working as
// printed, a per-process fault (string-hash order) reported as non-deterministic rather than drift,
// and a learning-rate change that fails naming the setting, epoch 1 and a parameter.
// Slow (pack, restore, three builds and test runs): filter it out with "Category!=Packaging".
[Trait("Category", "Packaging")]
[Collection(MsBuildCollection.Name)]
public sealed partial class ConsumerEndToEndTests(PackedRepro packages) : IClassFixture<PackedRepro>
{
    const string Test = "ShapesTests.Training_reproduces";
    const string Dll = "bin/Debug/net10.0/" + ConsumerProject.ProjectName + ".dll";

    static string ConsumerSources => Path.Combine(RepoPaths.Root, "tests", "Repro.Packaging.Tests", "Consumer");

    [Fact]
    public void A_fresh_project_goes_from_no_baseline_to_approved_to_a_named_divergence()
    {
        Assert.True(packages.Pack.ExitCode == 0, $"dotnet pack of the solution failed: {packages.Pack}");
        foreach (var id in PackedRepro.PackageIds)
            Assert.True(File.Exists(Path.Combine(packages.Feed, $"{id}.{packages.Version}.nupkg")), $"dotnet pack made no {id} package: {packages.Pack}");
        // Each package depends on exactly the Repro packages it was packed with, never on a later one.
        Assert.Contains($"<dependency id=\"Repro\" version=\"[{packages.Version}]\"", packages.Nuspec("Repro.Xunit"));
        using var consumer = ConsumerProject.Create(packages);
        Assert.True(consumer.SetUp is { ExitCode: 0 }, $"the README's quick-start commands failed: {consumer.SetUp}");
        foreach (var file in Directory.GetFiles(ConsumerSources, "*.cs"))
            File.Copy(file, Path.Combine(consumer.Directory, Path.GetFileName(file)));

        // 1. No baseline: both checks' tests fail and say so; the resume test already holds (it needs none).
        var first = consumer.DotNet("test", "--disable-build-servers");
        Assert.True(first.ExitCode != 0, $"the first run must fail for want of a baseline: {first}");
        Assert.Contains("No baseline for ", first.Output);
        Assert.Equal(new DotNetCli.Summary(Failed: 2, Passed: 1, Skipped: 0, Total: 3), DotNetCli.ParseSummary(first));
        var received = Assert.Single(consumer.Snapshots("ShapesTests.*.received.json"));
        Assert.Equal(Test + ".received.json", Path.GetFileName(received));
        // The package's buildTransitive targets ran: the test run's native environment came from them.
        Assert.Contains("<CUBLAS_WORKSPACE_CONFIG>:4096:8</CUBLAS_WORKSPACE_CONFIG>", File.ReadAllText(Path.Combine(consumer.Directory, "obj", "repro.runsettings")));

        var approve = consumer.Repro("approve");
        Assert.True(approve.ExitCode == 0, $"dotnet repro approve failed: {approve}");
        Assert.Contains("Accepted ", approve.Output);
        var verified = Assert.Single(consumer.Snapshots("ShapesTests.*.verified.json"));
        Assert.Equal(Path.ChangeExtension(Path.ChangeExtension(received, null), null) + ".verified.json", verified);
        Assert.Empty(consumer.Snapshots("*.received.json"));

        // 2. Approved: the CNN's tests pass (the mid-epoch resume in a fresh process, too); the string-hash
        // fault is settled in a second process - the test executable itself - as non-deterministic.
        var second = consumer.DotNet("test", "--no-restore", "--disable-build-servers");
        Assert.Equal(new DotNetCli.Summary(Failed: 1, Passed: 2, Skipped: 0, Total: 3), DotNetCli.ParseSummary(second));
        Assert.Contains("HashOrderTests.Training_reproduces [FAIL]", second.Output);
        Assert.Contains("but a run in a second process DIFFERS, so the training does NOT reproduce", second.Output);
        Assert.DoesNotContain("this is drift", second.Output);
        Assert.DoesNotContain("To accept these numbers", second.Output);
        // The fault fixed, as its user would: the test goes, and so do its received files.
        File.Delete(Path.Combine(consumer.Directory, "HashOrderTests.cs"));
        foreach (var file in consumer.Snapshots("HashOrderTests.*.received.*")) File.Delete(file);

        // 3. The CLI finds the test's baseline from the check alone, and status agrees.
        var check = consumer.Repro("check", "--assembly", Dll, "--check", "ShapesCheck");
        Assert.True(check.ExitCode == 0, $"repro check --assembly --check must pass against the test's baseline: {check}");
        Assert.Contains($"PASS {Test} on ", check.Output);
        var modelHash = ModelHash().Match(check.Output).Groups[1].Value;
        Assert.Empty(consumer.Snapshots("*.received.json"));
        var status = consumer.Repro("status", "--assembly", Dll);
        Assert.True(status.ExitCode == 0, $"repro status failed: {status}");
        Assert.Matches(new Regex(Regex.Escape(Test) + @"\n\s+\S+\s+baseline, approved .*, current\n"), status.Output.Replace("\r\n", "\n", StringComparison.Ordinal));
        Assert.DoesNotContain("STALE", status.Output);
        Assert.DoesNotContain("pending", status.Output);

        // 4. The resume hint works as printed and ends with the uninterrupted run's weights.
        var stopped = consumer.Repro("run", "--assembly", Dll, "--check", "ShapesCheck", "--checkpoint-dir", "ckpt", "--stop-after", "2:3");
        Assert.True(stopped.ExitCode == 0, $"repro run --stop-after failed: {stopped}");
        var hint = ResumeHint().Match(stopped.Output);
        Assert.True(hint.Success, $"dotnet repro run --stop-after must print 'Resume with: dotnet repro ...' (the tool is a local one here): {stopped}");
        var resumed = consumer.RunPrinted(hint.Groups[1].Value);
        Assert.True(resumed.ExitCode == 0, $"the printed resume command '{hint.Groups[1].Value}' failed: {resumed}");
        Assert.Equal(modelHash, ModelHash().Match(resumed.Output).Groups[1].Value);

        // 5. A changed setting fails, naming the setting with both values, the epoch and a parameter.
        consumer.Edit("ShapesCheck.cs", "LearningRate { get; init; } = 0.003;", "LearningRate { get; init; } = 0.006;");
        var third = consumer.DotNet("test", "--no-restore", "--disable-build-servers", "--filter", "FullyQualifiedName~" + Test);
        Assert.True(third.ExitCode != 0, $"a changed learning rate must fail: {third}");
        Assert.Contains("Training numbers differ from " + verified, third.Output);
        Assert.Contains("Cause: configuration changed: learningRate 0.003 -> 0.006", third.Output);
        Assert.Contains("First divergence: epoch 1, loss", third.Output);
        Assert.Matches(MovedParameter(), third.Output);
        Assert.Contains("so this is drift", third.Output);
        // The accept hint names the tool as this project runs it.
        Assert.Contains($"  dotnet repro approve --key ", third.Output);

        // The doctor, from the check alone, compares with the same baseline and names the same change.
        var doctor = consumer.Repro("doctor", "--assembly", Dll, "--check", "ShapesCheck", "--processes");
        Assert.True(doctor.ExitCode == 1, $"repro doctor --processes must warn of drift against the test's baseline (exit 1): {doctor}");
        Assert.Contains("baseline-drift", doctor.Output);
        Assert.Contains("learningRate 0.003 -> 0.006", doctor.Output);
    }

    // A parameter of the sample's Sequential, by the name it gave the layer.
    [GeneratedRegex(@"First moved parameter: (conv1|norm1|conv2|head)\.(weight|bias) ")]
    private static partial Regex MovedParameter();

    [GeneratedRegex(@"Resume with: (dotnet repro [^\r\n]+)")]
    private static partial Regex ResumeHint();

    [GeneratedRegex(@"; model hash ([0-9a-f]+)")]
    private static partial Regex ModelHash();
}
