using System.Runtime.CompilerServices;
using Xunit;
using Xunit.v3;

namespace Repro.Xunit;

/// <summary>
/// A theory that needs a CUDA GPU: trait <c>Category=GPU</c>, skipped with the reason where no CUDA
/// GPU is usable (see <see cref="GpuAvailability"/>).
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class GpuTheoryAttribute : TheoryAttribute, ITraitAttribute
{
    /// <param name="sourceFilePath">Filled in by the compiler; do not pass.</param>
    /// <param name="sourceLineNumber">Filled in by the compiler; do not pass.</param>
    public GpuTheoryAttribute([CallerFilePath] string? sourceFilePath = null, [CallerLineNumber] int sourceLineNumber = -1)
        : base(sourceFilePath, sourceLineNumber) => GpuSkip.Configure(this);

    /// <inheritdoc/>
    public IReadOnlyCollection<KeyValuePair<string, string>> GetTraits() => ReproTraits.CategoryTrait(ReproTraits.Gpu);
}
