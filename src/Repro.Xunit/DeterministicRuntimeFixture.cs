namespace Repro.Xunit;

/// <summary>
/// Applies <see cref="DeterminismOptions"/> defaults before any test runs. Register it once per test
/// assembly with <c>[assembly: AssemblyFixture(typeof(DeterministicRuntimeFixture))]</c>.
/// </summary>
/// <remarks>
/// The first libtorch load fixes the CPU kernel level; if a test that merely reads the environment
/// ran first, a later <c>Determinism.Apply</c> pinning "avx2" would fail on an AVX-512 machine, and
/// which test runs first is up to xunit. Loading through <c>Determinism.Apply</c> up front removes
/// that order dependence.
/// </remarks>
public sealed class DeterministicRuntimeFixture
{
    /// <summary>Applies the defaults and keeps the state libtorch reported.</summary>
    public DeterministicRuntimeFixture() => State = Determinism.Apply(new DeterminismOptions());

    /// <summary>The determinism state right after the defaults were applied.</summary>
    public DeterminismState State { get; }
}
