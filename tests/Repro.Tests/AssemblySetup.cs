using Repro.Xunit;
using Xunit;

// Every determinism switch at its default before any test: tests that only read the state must not
// depend on which test xunit happens to start first.
[assembly: AssemblyFixture(typeof(DeterministicRuntimeFixture))]

namespace Repro.Tests;

/// <summary>
/// Tests that touch libtorch's process-wide RNG, context flags, the training guard or process-wide
/// environment variables join this collection; it runs alone, after the parallel collections.
/// xunit only reads collection definitions from the test assembly, hence this class lives here.
/// </summary>
[CollectionDefinition(ReproCollection.Name, DisableParallelization = true)]
public sealed class ReproCollectionDefinition;

/// <summary>
/// The MSBuild end-to-end tests start child `dotnet` processes, which copy this process's environment
/// variables at start; tests in the training collection change process-wide variables (CI, REPRO_*).
/// Running the MSBuild tests alone keeps those two from interleaving.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MsBuildCollection
{
    public const string Name = "MSBuild end to end";
}
