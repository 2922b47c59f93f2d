namespace Repro;

/// <summary>
/// How a run is compared with its baseline. Exact by default: every metric bitwise equal and every
/// hash identical. Declaring a tolerance for any metric makes tensor hashes informational, since
/// weights that differ in the last bit are then expected.
/// </summary>
public sealed record ComparisonOptions
{
    public static ComparisonOptions Exact { get; } = new();

    public IReadOnlyDictionary<string, Tolerance> Tolerances { get; init; } = new Dictionary<string, Tolerance>();

    /// <summary>Tolerance for metrics not named in <see cref="Tolerances"/>.</summary>
    public Tolerance Default { get; init; } = Tolerance.Exact;

    /// <summary>Use the baseline's calibrated noise envelope when it has one.</summary>
    public bool UseEnvelope { get; init; } = true;

    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsExact => Default.IsExact && Tolerances.Values.All(t => t.IsExact);

    public Tolerance For(string metric) => Tolerances.TryGetValue(metric, out var t) ? t : Default;

    /// <summary>Same options with a tolerance for one metric (fluent, per call).</summary>
    public ComparisonOptions With(string metric, Tolerance tolerance)
    {
        if (string.IsNullOrWhiteSpace(metric)) throw new ReproException("A tolerance needs the name of the metric it applies to.");
        ArgumentNullException.ThrowIfNull(tolerance);
        var copy = new Dictionary<string, Tolerance>(Tolerances) { [metric] = tolerance };
        return this with { Tolerances = copy };
    }
}
