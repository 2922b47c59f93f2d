using System.Net;
using System.Text;

namespace Repro.Reports;

// One self-contained HTML page: curves, per-epoch differences, the divergence table and the
// environment fingerprints side by side. No scripts, no external assets.
internal static class HtmlReport
{

    internal static string Render(ReportInput input)
    {
        var run = input.Run;
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Repro report: ").Append(E(run.Test)).Append("</title>\n")
            .Append("<style>body{font-family:system-ui,sans-serif;margin:24px;color:#222}h1{font-size:22px}h2{font-size:18px;margin-top:28px}")
            .Append("table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}")
            .Append("th{background:#f3f3f3}.pass{color:#1a7f37;font-weight:bold}.fail{color:#cf222e;font-weight:bold}.grid{display:flex;flex-wrap:wrap;gap:12px}")
            .Append(".mono{font-family:ui-monospace,monospace}</style></head><body>\n");
        html.Append("<h1>Repro report: ").Append(E(run.Test)).Append(" on <span class=\"mono\">").Append(E(run.Key)).Append("</span></h1>\n");
        html.Append("<p>").Append(Verdict(input)).Append("</p>\n");
        if (input.Comparison is { Passed: false } comparison)
        {
            html.Append("<p><b>Cause:</b> ").Append(E(comparison.Cause)).Append("</p>\n");
            if (comparison.MovedTensors.Count > 0)
                html.Append("<p><b>First moved parameter:</b> <span class=\"mono\">").Append(E(comparison.MovedTensors[0])).Append("</span> (")
                    .Append(comparison.MovedTensors.Count).Append(comparison.MovedTensors.Count == 1 ? " tensor moved)</p>\n" : " tensors moved)</p>\n");
            html.Append("<h2>Divergence table</h2>\n").Append(DifferenceTable(comparison));
        }
        html.Append("<h2>Learning at a glance</h2>\n").Append(GlanceTable(input.Run.Fingerprint));
        html.Append("<h2>Loss curves</h2>\n<div class=\"grid\">");
        foreach (var metric in MetricSeries.EpochMetrics(input.Run.Fingerprint)) html.Append("<div>").Append(LossCharts.Curves(input, metric)).Append("</div>");
        html.Append("</div>\n");
        if (input.Baseline is not null && !ReferenceEquals(input.Baseline, run) || input.OtherKeys.Count > 0)
        {
            html.Append("<h2>Per-epoch differences</h2>\n<div class=\"grid\">");
            foreach (var metric in MetricSeries.EpochMetrics(input.Run.Fingerprint)) html.Append("<div>").Append(LossCharts.Differences(input, metric)).Append("</div>");
            html.Append("</div>\n");
        }
        html.Append("<h2>Epochs</h2>\n").Append(EpochTable(input));
        html.Append("<h2>Environments</h2>\n").Append(EnvironmentTable(input));
        html.Append("</body></html>\n");
        return html.ToString();
    }

    internal static string Verdict(ReportInput input) => input.Comparison switch
    {
        null when input.Baseline is null => "<span class=\"fail\">NO BASELINE</span> for this environment key yet.",
        null => "<span class=\"pass\">BASELINE</span> (this is the verified run).",
        { Passed: true } => "<span class=\"pass\">PASS</span>: identical to the verified baseline.",
        var c => $"<span class=\"fail\">MISMATCH</span>: first divergence at {(c.FirstDivergingEpoch is { } e ? "epoch " + e : "the final metrics")}.",
    };

    static string DifferenceTable(ComparisonResult comparison)
    {
        var html = new StringBuilder("<table><tr><th>epoch</th><th>metric</th><th>baseline</th><th>current</th><th>difference</th><th>allowed</th></tr>\n");
        foreach (var d in comparison.Differences.Take(40))
            html.Append("<tr><td>").Append(d.Epoch?.ToString() ?? "final").Append("</td><td>").Append(E(d.Metric)).Append("</td><td class=\"mono\">")
                .Append(DivergenceReport.Format(d.Baseline)).Append("</td><td class=\"mono\">").Append(DivergenceReport.Format(d.Current))
                .Append("</td><td class=\"mono\">").Append(DivergenceReport.Format(d.Difference)).Append("</td><td>").Append(E(d.Allowed)).Append("</td></tr>\n");
        html.Append("</table>\n");
        if (comparison.Differences.Count > 40) html.Append("<p>... and ").Append(comparison.Differences.Count - 40).Append(" more differences.</p>\n");
        return html.ToString();
    }

    // Each metric's first and last value, change and one character per epoch, then the final metrics and
    // the evaluation records (such as a naive baseline the model must beat): whether the run learned.
    static string GlanceTable(TrainingFingerprint fingerprint)
    {
        var html = new StringBuilder("<table><tr><th>metric</th><th>first</th><th>last</th><th>change</th><th>per epoch</th></tr>\n");
        foreach (var curve in LearningCurve.Of(fingerprint))
        {
            var change = curve.Flat ? "<span class=\"fail\">flat</span>" : curve.RelativeChange is { } r ? r.ToString("+0.0%;-0.0%;0.0%", System.Globalization.CultureInfo.InvariantCulture) : "-";
            html.Append("<tr><td>").Append(E(curve.Metric)).Append("</td><td class=\"mono\">").Append(LearningCurve.Format(curve.First))
                .Append("</td><td class=\"mono\">").Append(LearningCurve.Format(curve.Last)).Append("</td><td>").Append(change)
                .Append("</td><td class=\"mono\" style=\"font-size:18px;letter-spacing:1px\">").Append(E(curve.Sparkline)).Append("</td></tr>\n");
        }
        html.Append("</table>\n");
        var lines = LearningCurve.Summary(fingerprint).Where(l => l.StartsWith("Final:", StringComparison.Ordinal) || l.StartsWith("Evaluation ", StringComparison.Ordinal)).ToList();
        if (lines.Count > 0) html.Append("<ul>").AppendJoin("", lines.Select(l => "<li>" + E(l) + "</li>")).Append("</ul>\n");
        return html.ToString();
    }

    static string EpochTable(ReportInput input)
    {
        var html = new StringBuilder("<table><tr><th>epoch</th>");
        var metrics = MetricSeries.EpochMetrics(input.Run.Fingerprint);
        foreach (var metric in metrics) html.Append("<th>").Append(E(metric)).Append("</th>");
        html.Append("<th>batch order</th></tr>\n");
        foreach (var epoch in input.Run.Fingerprint.Epochs)
        {
            html.Append("<tr><td>").Append(epoch.Epoch).Append("</td>");
            foreach (var metric in metrics)
                html.Append("<td class=\"mono\">").Append(epoch.Metrics.TryGetValue(metric, out var value) ? DivergenceReport.Format(value) : "-").Append("</td>");
            html.Append("<td class=\"mono\">").Append(E(epoch.BatchOrderHash.Length > 12 ? epoch.BatchOrderHash[..12] : epoch.BatchOrderHash)).Append("</td></tr>\n");
        }
        return html.Append("</table>\n").ToString();
    }

    static string EnvironmentTable(ReportInput input)
    {
        var columns = new List<(string Title, EnvironmentFingerprint Environment)> { ("this run", input.Run.Environment) };
        if (input.Baseline is { } b && !ReferenceEquals(b, input.Run)) columns.Add(("baseline", b.Environment));
        columns.AddRange(input.OtherKeys.Select(o => (o.Key, o.Environment)));
        var properties = typeof(EnvironmentFingerprint).GetProperties().Where(p => p.GetIndexParameters().Length == 0).ToList();
        var html = new StringBuilder("<table><tr><th></th>");
        foreach (var (title, _) in columns) html.Append("<th>").Append(E(title)).Append("</th>");
        html.Append("</tr>\n");
        foreach (var property in properties)
        {
            var values = columns.Select(c => property.GetValue(c.Environment)?.ToString() ?? "").ToList();
            var differs = values.Distinct().Count() > 1;
            html.Append("<tr><th>").Append(E(property.Name)).Append("</th>");
            foreach (var value in values) html.Append(differs ? "<td style=\"background:#fff4e5\">" : "<td>").Append(E(value)).Append("</td>");
            html.Append("</tr>\n");
        }
        return html.Append("</table>\n").ToString();
    }

    static string E(string text) => WebUtility.HtmlEncode(text);
}
