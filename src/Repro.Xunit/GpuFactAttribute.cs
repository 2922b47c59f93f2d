using System.Runtime.CompilerServices;
using Xunit;
using Xunit.v3;

namespace Repro.Xunit;

/// <summary>
/// A fact that needs a CUDA GPU. It carries the trait <c>Category=GPU</c> and reports itself
/// skipped, with the reason, where no CUDA GPU is usable (see <see cref="GpuAvailability"/>).
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class GpuFactAttribute : FactAttribute, ITraitAttribute
{
    /// <param name="sourceFilePath">Filled in by the compiler; do not pass.</param>
    /// <param name="sourceLineNumber">Filled in by the compiler; do not pass.</param>
    public GpuFactAttribute([CallerFilePath] string? sourceFilePath = null, [CallerLineNumber] int sourceLineNumber = -1)
        : base(sourceFilePath, sourceLineNumber) => GpuSkip.Configure(this);

    /// <inheritdoc/>
    public IReadOnlyCollection<KeyValuePair<string, string>> GetTraits() => ReproTraits.CategoryTrait(ReproTraits.Gpu);
}
