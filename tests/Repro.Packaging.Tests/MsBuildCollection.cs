using Xunit;

namespace Repro.Packaging.Tests;

// The assembly fixture and the training collection come from Repro.Xunit's build files
// (src/Repro.Xunit/buildTransitive), imported by this project as a consumer's package reference does.

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
