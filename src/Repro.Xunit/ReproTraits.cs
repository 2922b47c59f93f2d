namespace Repro.Xunit;

/// <summary>
/// The trait names and values Repro's attributes put on tests, so that
/// <c>dotnet test --filter "Category!=GPU"</c> and <c>"Category=GPU"</c> select what you expect.
/// </summary>
public static class ReproTraits
{
    /// <summary>The trait name VSTest's <c>--filter</c> and most IDEs group by.</summary>
    public const string Category = "Category";

    /// <summary>Tests that need a CUDA GPU (<see cref="GpuFactAttribute"/>, <see cref="GpuTheoryAttribute"/>).</summary>
    public const string Gpu = "GPU";

    /// <summary>Tests that run on the CPU backend (<see cref="CpuFactAttribute"/>, <see cref="CpuTheoryAttribute"/>).</summary>
    public const string Cpu = "CPU";

    internal static IReadOnlyCollection<KeyValuePair<string, string>> CategoryTrait(string value) => [new(Category, value)];
}
