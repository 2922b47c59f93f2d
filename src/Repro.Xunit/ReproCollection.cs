namespace Repro.Xunit;

/// <summary>
/// The name of the test collection every test that touches libtorch's RNG, determinism flags or
/// training belongs to. libtorch's generators and at::Context are process-wide, so those tests must
/// never run in parallel with each other.
/// </summary>
/// <remarks>
/// xunit only honours <c>[CollectionDefinition]</c> classes declared in the test assembly itself, so
/// each test project declares the definition once (copy this verbatim):
/// <code>
/// [CollectionDefinition(ReproCollection.Name, DisableParallelization = true)]
/// public sealed class ReproCollectionDefinition;
/// </code>
/// and marks its test classes with <c>[Collection(ReproCollection.Name)]</c>.
/// <c>DisableParallelization</c> makes xunit run the collection after the parallel ones, alone.
/// </remarks>
public static class ReproCollection
{
    /// <summary>The collection name used by <c>[Collection]</c> and <c>[CollectionDefinition]</c>.</summary>
    public const string Name = "Repro training";
}
