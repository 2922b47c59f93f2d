using Repro.Xunit;
using Xunit;

// Once per test project: Repro's determinism defaults before any test, and one collection in which
// trainings run one at a time (libtorch's generators and switches are process-wide).
[assembly: AssemblyFixture(typeof(DeterministicRuntimeFixture))]

namespace QuickStart;

[CollectionDefinition(ReproCollection.Name, DisableParallelization = true)]
public sealed class ReproCollectionDefinition;
