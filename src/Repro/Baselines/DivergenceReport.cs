using System.Globalization;
using System.Text;

namespace Repro;

/// <summary>Renders a comparison as the plain-text table that failure messages and .diff files show.</summary>
internal static class DivergenceReport
{
    const int MaxRows = 12;

    public static string Render(ComparisonResult result, string baselinePath)
    {
        var text = new StringBuilder();
        if (result.Passed)
            return $"Matches {baselinePath}.";
        text.Append("Training numbers differ from ").Append(baselinePath).Append('\n');
        text.Append("Cause: ").Append(result.Cause).Append('\n');
        if (result.FirstMovedState is { } moved)
            text.Append("First moved state: ").Append(moved.Description).Append('\n');
        if (result.StructuralDifference is { } structural)
            text.Append("Structure: ").Append(structural).Append('\n');
        if (result.Differences.Count > 0)
        {
            var first = result.Differences[0];
            text.Append("First divergence: ").Append(first.Epoch is { } e ? $"epoch {e}" : "final test metrics")
                .Append(", ").Append(first.Metric).Append('\n');
            text.Append(Table(result.Differences.Take(MaxRows)));
            if (result.Differences.Count > MaxRows)
                text.Append("  ... and ").Append(result.Differences.Count - MaxRows).Append(" more\n");
        }
        if (result.MovedTensors.Count > 0)
            text.Append("First moved parameter: ").Append(result.MovedTensors[0])
                .Append(" (").Append(result.MovedTensors.Count).Append(result.MovedTensors.Count == 1 ? " tensor moved" : " tensors moved")
                .Append(result.HashesEnforced ? "" : "; informational under the declared tolerances").Append(")\n");
        else
            text.Append("No parameter or buffer hash moved.\n");
        return text.ToString();
    }

    static string Table(IEnumerable<MetricDifference> rows)
    {
        var header = new[] { "epoch", "metric", "baseline", "current", "difference", "allowed" };
        var cells = rows.Select(d => new[]
        {
            d.Epoch?.ToString(CultureInfo.InvariantCulture) ?? "final",
            d.Metric,
            Format(d.Baseline),
            Format(d.Current),
            Format(d.Difference) + (double.IsFinite(d.RelativeDifference) ? $" ({d.RelativeDifference:P3})".Replace(" %", "%", StringComparison.Ordinal) : ""),
            d.Allowed,
        }).ToList();
        var widths = header.Select((h, i) => Math.Max(h.Length, cells.Count == 0 ? 0 : cells.Max(c => c[i].Length))).ToArray();
        var text = new StringBuilder();
        void Row(string[] values) => text.Append("  ").AppendJoin(" | ", values.Select((v, i) => v.PadRight(widths[i]))).Append('\n');
        Row(header);
        text.Append("  ").AppendJoin("-+-", widths.Select(w => new string('-', w))).Append('\n');
        foreach (var row in cells) Row(row);
        return text.ToString();
    }

    /// <summary>Round-trip formatting: the printed value is exactly the compared one.</summary>
    public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
