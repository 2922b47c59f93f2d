using System.Text;

namespace Repro.Reports;

// A short summary for CI step summaries (GitHub's $GITHUB_STEP_SUMMARY and the like).
internal static class MarkdownSummary
{
    internal static string Render(ReportInput input)
    {
        var run = input.Run;
        var text = new StringBuilder();
        var verdict = input.Comparison switch
        {
            null when input.Baseline is null => "NO BASELINE",
            null => "BASELINE",
            { Passed: true } => "PASS",
            _ => "MISMATCH",
        };
        text.Append("### Repro: ").Append(M(run.Test)).Append(" on `").Append(C(run.Key)).Append("`: **").Append(verdict).Append("**\n\n");
        if (run.Origin is { } origin) text.Append("Run: ").Append(M(origin.ToString())).Append(origin.RunUrl is null ? "" : $" ({M(origin.RunUrl)})").Append("\n\n");
        if (input.Comparison is { Passed: false } c)
        {
            text.Append("Cause: ").Append(c.Cause).Append("\n\n");
            if (c.ConfigChanges.Count > 0)
            {
                text.Append("| setting | baseline | this run |\n|---|---|---|\n");
                foreach (var change in c.ConfigChanges)
                    text.Append("| `").Append(change.Path).Append("` | ").Append(Cell(change.Before)).Append(" | ").Append(Cell(change.After)).Append(" |\n");
                text.Append('\n');
            }
            if (c.MovedTensors.Count > 0) text.Append("First moved parameter: `").Append(c.MovedTensors[0]).Append("`\n\n");
            text.Append("| epoch | metric | baseline | current | difference |\n|---|---|---|---|---|\n");
            foreach (var d in c.Differences.Take(10))
                text.Append("| ").Append(d.Epoch?.ToString() ?? "final").Append(" | ").Append(M(d.Metric)).Append(" | ")
                    .Append(DivergenceReport.Format(d.Baseline)).Append(" | ").Append(DivergenceReport.Format(d.Current)).Append(" | ")
                    .Append(DivergenceReport.Format(d.Difference)).Append(" |\n");
            // A cut table must say so, or a reader takes the last row for the last difference.
            if (c.Differences.Count > 10) text.Append("\n... and ").Append(c.Differences.Count - 10).Append(" more differences (see the HTML report).\n");
            text.Append('\n');
        }
        foreach (var curve in LearningCurve.Of(run.Fingerprint)) text.Append("- `").Append(C(curve.Metric)).Append("` ").Append(curve.Describe()).Append('\n');
        text.Append('\n');
        var metrics = MetricSeries.EpochMetrics(run.Fingerprint);
        text.Append("| epoch | ").AppendJoin(" | ", metrics.Select(M)).Append(" |\n|---|").AppendJoin("", metrics.Select(_ => "---|")).Append('\n');
        foreach (var e in run.Fingerprint.Epochs)
            text.Append("| ").Append(e.Epoch).Append(" | ")
                .AppendJoin(" | ", metrics.Select(m => e.Metrics.TryGetValue(m, out var v) ? DivergenceReport.Format(v) : "-")).Append(" |\n");
        return text.ToString();
    }

    // A setting's JSON in a table cell: a '|' in it would end the cell.
    static string Cell(string? json) => json is null ? "(absent)" : "`" + json.Replace("|", "\\|", StringComparison.Ordinal) + "`";

    // Names and CI fields come from files anyone can edit: no raw HTML, Markdown syntax or terminal escapes reach the summary.
    internal static string M(string? text)
    {
        var builder = new StringBuilder();
        foreach (var c in TerminalText.Escape(text))
            builder.Append(c switch
            {
                '<' => "&lt;", '>' => "&gt;", '&' => "&amp;", '"' => "&quot;",
                '\\' or '`' or '*' or '_' or '[' or ']' or '|' => "\\" + c,
                _ => c.ToString(),
            });
        return builder.ToString();
    }

    // Inside a code span backslashes are literal, so only what could end the span or open HTML is replaced.
    internal static string C(string? text) =>
        TerminalText.Escape(text).Replace('`', '\'').Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
}
