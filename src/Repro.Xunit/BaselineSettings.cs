namespace Repro.Xunit;

/// <summary>
/// Per-call settings of <see cref="Baseline.VerifyAsync(Func{TrainingCheck}, BaselineSettings?)"/> and
/// <see cref="Baseline.VerifyResumedAsync(Func{TrainingCheck}, CheckpointPosition, BaselineSettings?)"/>.
/// How runs are compared is not here: the check declares it (<see cref="TrainingCheck.Comparison"/>), so
/// the CLI, the reports and the doctor compare as the test does.
/// </summary>
public sealed record BaselineSettings
{
    /// <summary>
    /// The baseline's name; null: the running test's, <c>TestClass.TestMethod</c>, with a theory's arguments
    /// appended (<c>TestClass.TestMethod_0.001_cpu</c>).
    /// </summary>
    public string? Name { get; init; }

    /// <summary>The snapshots folder; null: <c>REPRO_SNAPSHOTS</c>, else the project's <c>snapshots</c> folder.</summary>
    public string? SnapshotsDirectory { get; init; }

    /// <summary>For <c>VerifyResumedAsync</c>: also compare the resumed run with this baseline (a test's baseline name).</summary>
    public string? Against { get; init; }
}
