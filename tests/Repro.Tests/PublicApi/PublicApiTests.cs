using PublicApiGenerator;
using Xunit;

namespace Repro.Tests.PublicApi;

/// <summary>
/// The shipped surface as approved text: a change to any public type or member of a package fails here
/// until its snapshot is approved, so every change to the API is a reviewed diff.
/// </summary>
public sealed class PublicApiTests
{
    static readonly ApiGeneratorOptions Options = new() { IncludeAssemblyAttributes = false };

    [Fact]
    public void The_core_api_is_approved() =>
        Snapshot.Match(typeof(TrainingCheck).Assembly.GeneratePublicApi(Options), "Repro");

    [Fact]
    public void The_xunit_api_is_approved() =>
        Snapshot.Match(typeof(Repro.Xunit.Baseline).Assembly.GeneratePublicApi(Options), "Repro.Xunit");

    [Fact]
    public void The_reports_assembly_has_no_public_api() =>
        Snapshot.Match(typeof(Repro.Reports.ReportWriter).Assembly.GeneratePublicApi(Options), "Repro.Reports");

    [Fact]
    public void The_user_tier_stays_small()
    {
        var userTier = typeof(TrainingCheck).Assembly.GetExportedTypes()
            .Where(t => t.Namespace == "Repro" && !t.IsNested).Select(t => t.Name).Order(StringComparer.Ordinal).ToList();
        Assert.True(userTier.Count <= 30, $"The user tier (namespace Repro) has {userTier.Count} types: {string.Join(", ", userTier)}. " +
            "Move extension points to Repro.Advanced and the baseline data model to Repro.Baselines, or make the type internal.");
    }
}
