using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Repro;

/// <summary>
/// One epoch metric of a run at a glance: its first and last value, the change between them and a
/// sparkline with one character per epoch. A flat curve (every epoch the same value) is flagged: a
/// metric that never moves carries no signal, and a regression in the code that computes it would not
/// show.
/// </summary>
/// <param name="Metric">The metric's name.</param>
/// <param name="Values">Its value per epoch (NaN where an epoch lacks it).</param>
internal sealed record LearningCurve(string Metric, IReadOnlyList<double> Values)
{
    const string Levels = "▁▂▃▄▅▆▇█";

    /// <summary>The first finite value, NaN when there is none.</summary>
    public double First => Values.FirstOrDefault(double.IsFinite, double.NaN);

    /// <summary>The last finite value, NaN when there is none.</summary>
    public double Last => Values.LastOrDefault(double.IsFinite, double.NaN);

    /// <summary>Whether every finite value equals the first (one epoch counts as flat too).</summary>
    public bool Flat => Values.Where(double.IsFinite).Distinct().Count() <= 1;

    /// <summary>(Last - First) / |First|; null when First is 0 or not finite.</summary>
    public double? RelativeChange => double.IsFinite(First) && First != 0 && double.IsFinite(Last) ? (Last - First) / Math.Abs(First) : null;

    /// <summary>One block character per epoch, scaled from the curve's minimum (▁) to its maximum (█); a space for a missing or non-finite value.</summary>
    public string Sparkline
    {
        get
        {
            var finite = Values.Where(double.IsFinite).ToList();
            if (finite.Count == 0) return new string(' ', Values.Count);
            double min = finite.Min(), max = finite.Max();
            var text = new StringBuilder(Values.Count);
            foreach (var value in Values)
            {
                if (!double.IsFinite(value)) text.Append(' ');
                else if (max == min) text.Append(Levels[Levels.Length / 2 - 1]);
                else text.Append(Levels[(int)Math.Round((value - min) / (max - min) * (Levels.Length - 1))]);
            }
            return text.ToString();
        }
    }

    /// <summary>"first -> last  sparkline  change" on one line, e.g. "38.79 -> 22.23  █▆▃▁  -42.7%".</summary>
    public string Describe()
    {
        var change = Flat ? "flat" : RelativeChange is { } relative ? relative.ToString("+0.0%;-0.0%;0.0%", CultureInfo.InvariantCulture) : "";
        return $"{Format(First)} -> {Format(Last)}  {Sparkline}  {change}".TrimEnd();
    }

    /// <summary>Every epoch metric of <paramref name="fingerprint"/>, in the order the run reported them.</summary>
    public static IReadOnlyList<LearningCurve> Of(TrainingFingerprint fingerprint)
    {
        ArgumentNullException.ThrowIfNull(fingerprint);
        return [.. MetricSeries.EpochMetrics(fingerprint).Select(metric => new LearningCurve(metric, MetricSeries.Series(fingerprint, metric)))];
    }

    /// <summary>
    /// The lines a person reads after a run: one per epoch metric ("name  first -> last  sparkline
    /// change"), then the final metrics, then each evaluation record's numbers (such as the baseline a
    /// model must beat), so that whether the run learned shows at a glance.
    /// </summary>
    public static IReadOnlyList<string> Summary(TrainingFingerprint fingerprint)
    {
        ArgumentNullException.ThrowIfNull(fingerprint);
        var curves = Of(fingerprint);
        var lines = new List<string>();
        if (curves.Count == 0) return lines;
        var width = curves.Max(c => c.Metric.Length);
        lines.Add($"Learning curves ({fingerprint.Epochs.Count} epochs, first -> last):");
        lines.AddRange(curves.Select(c => $"  {c.Metric.PadRight(width)}  {c.Describe()}"));
        if (fingerprint.Final.Count > 0)
            lines.Add("Final: " + string.Join(", ", fingerprint.Final.Select(m => $"{m.Key} {Format(m.Value)}")));
        foreach (var (name, record) in fingerprint.Evaluation ?? new Dictionary<string, JsonElement>())
            if (Numbers(record) is { Length: > 0 } numbers) lines.Add($"Evaluation {name}: {numbers}");
        return lines;
    }

    // A record's numeric properties, one level deep ("rmse 14.2, accuracy 0.6"); other values are left to the JSON.
    static string Numbers(JsonElement record) => record.ValueKind != JsonValueKind.Object ? "" : string.Join(", ", record.EnumerateObject()
        .Where(p => p.Value.ValueKind == JsonValueKind.Number)
        .Select(p => $"{p.Name} {Format(p.Value.GetDouble())}"));

    /// <summary>Six significant digits, invariant culture.</summary>
    public static string Format(double value) => value.ToString("G6", CultureInfo.InvariantCulture);
}
