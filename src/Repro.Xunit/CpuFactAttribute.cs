using System.Runtime.CompilerServices;
using Xunit;
using Xunit.v3;

namespace Repro.Xunit;

/// <summary>A fact for the CPU backend: trait <c>Category=CPU</c>; it runs everywhere.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class CpuFactAttribute : FactAttribute, ITraitAttribute
{
    /// <param name="sourceFilePath">Filled in by the compiler; do not pass.</param>
    /// <param name="sourceLineNumber">Filled in by the compiler; do not pass.</param>
    public CpuFactAttribute([CallerFilePath] string? sourceFilePath = null, [CallerLineNumber] int sourceLineNumber = -1)
        : base(sourceFilePath, sourceLineNumber) { }

    /// <inheritdoc/>
    public IReadOnlyCollection<KeyValuePair<string, string>> GetTraits() => ReproTraits.CategoryTrait(ReproTraits.Cpu);
}
