using ScottPlot;

namespace Repro.Reports;

// Charts as inline SVG, so the HTML report is one file that opens offline.
internal static class LossCharts
{
    const int Width = 640, Height = 340;

    internal static string Curves(ReportInput input, string metric)
    {
        var plot = new Plot();
        AddSeries(plot, input.Run, "this run", metric, Colors.Red, 3f);
        if (input.Baseline is { } baseline && !ReferenceEquals(baseline, input.Run))
            AddSeries(plot, baseline, "baseline " + baseline.Key, metric, Colors.Black, 1.5f);
        var palette = new ScottPlot.Palettes.Category10();
        var i = 0;
        foreach (var other in input.OtherKeys)
            AddSeries(plot, other, other.Key, metric, palette.GetColor(i++), 1.5f);
        plot.Title(metric);
        plot.XLabel("epoch");
        plot.YLabel(metric);
        plot.ShowLegend(Alignment.UpperRight);
        return Svg(plot);
    }

    internal static string Differences(ReportInput input, string metric)
    {
        var plot = new Plot();
        var references = new List<BaselineFile>();
        if (input.Baseline is { } baseline && !ReferenceEquals(baseline, input.Run)) references.Add(baseline);
        references.AddRange(input.OtherKeys);
        var palette = new ScottPlot.Palettes.Category10();
        var i = 0;
        foreach (var reference in references)
        {
            var count = Math.Min(reference.Fingerprint.Epochs.Count, input.Run.Fingerprint.Epochs.Count);
            var xs = Enumerable.Range(0, count).Select(e => (double)input.Run.Fingerprint.Epochs[e].Epoch).ToArray();
            var ys = Enumerable.Range(0, count).Select(e =>
                MetricSeries.Value(input.Run.Fingerprint.Epochs[e], metric) - MetricSeries.Value(reference.Fingerprint.Epochs[e], metric)).ToArray();
            if (count == 0) continue;
            var line = plot.Add.Scatter(xs, ys, palette.GetColor(i++));
            line.LegendText = "run - " + reference.Key;
        }
        plot.Add.HorizontalLine(0, 1, Colors.Gray);
        plot.Title(metric + ": difference per epoch");
        plot.XLabel("epoch");
        plot.YLabel("difference");
        plot.ShowLegend(Alignment.UpperRight);
        return Svg(plot);
    }

    // Solid lines only: ScottPlot's SVG backend cannot draw dash patterns (it prints a warning per line).
    static void AddSeries(Plot plot, BaselineFile file, string label, string metric, Color color, float width)
    {
        var epochs = file.Fingerprint.Epochs;
        if (epochs.Count == 0) return;
        var line = plot.Add.Scatter(epochs.Select(e => (double)e.Epoch).ToArray(), epochs.Select(e => MetricSeries.Value(e, metric)).ToArray(), color);
        line.LegendText = label;
        line.LineWidth = width;
    }

    static string Svg(Plot plot)
    {
        var svg = plot.GetSvgXml(Width, Height);
        var start = svg.IndexOf("<svg", StringComparison.Ordinal);
        return start > 0 ? svg[start..] : svg;
    }
}
