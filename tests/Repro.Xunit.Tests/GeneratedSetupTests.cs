using System.Reflection;
using Xunit;

namespace Repro.Xunit.Tests;

// What Repro.Xunit's build files add to a test project (this one imports them as a package reference
// would): the training collection, parallelisation off, the assembly fixture and the child-entry mark.
public sealed class GeneratedSetupTests
{
    static readonly Assembly Tests = typeof(GeneratedSetupTests).Assembly;

    [Fact]
    public void The_training_collection_is_defined_once_with_parallelisation_off()
    {
        var definitions = Tests.GetTypes()
            .Select(t => t.GetCustomAttribute<CollectionDefinitionAttribute>())
            .Where(a => a?.Name == ReproCollection.Name)
            .ToList();
        var definition = Assert.Single(definitions);
        Assert.True(definition!.DisableParallelization);
    }

    [Fact]
    public void The_assembly_carries_the_fixture_and_serves_child_trainings()
    {
        Assert.Contains(Tests.GetCustomAttributes<AssemblyFixtureAttribute>(), a => a.AssemblyFixtureType == typeof(DeterministicRuntimeFixture));
        Assert.NotNull(ChildProcessRun.TestExecutable(Tests));
    }
}
