namespace Repro.Xunit;

/// <summary>
/// Applies <see cref="DeterminismOptions"/> defaults before any test runs. Register it once per test
/// assembly with <c>[assembly: AssemblyFixture(typeof(DeterministicRuntimeFixture))]</c>.
/// </summary>
/// <remarks>
/// Whoever loads libtorch first, <c>NativeRuntime</c> applies the reproducible native defaults
/// (CPU kernel level, cuBLAS workspace). This fixture adds the rest before any test runs - seeds,
/// threads and every at::Context switch - so a test that only reads the state sees the defaults,
/// whichever test xunit happens to start first.
/// </remarks>
public sealed class DeterministicRuntimeFixture
{
    /// <summary>
    /// Checks every variable Repro documents (REPRO_DEVICE, REPRO_SNAPSHOTS, REPRO_ACCEPT, REPRO_LIBTORCH_DIR,
    /// CUBLAS_WORKSPACE_CONFIG, ATEN_CPU_CAPABILITY), so a bad value fails the run once with its name instead
    /// of every test after training; then applies the defaults and keeps the state libtorch reported.
    /// </summary>
    public DeterministicRuntimeFixture()
    {
        ReproVariables.ValidateAll();
        State = Determinism.Apply(new DeterminismOptions());
    }

    /// <summary>The determinism state right after the defaults were applied.</summary>
    public DeterminismState State { get; }
}
