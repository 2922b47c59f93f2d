using ScottPlot;

namespace Repro.Reports;

// Charts as inline SVG, so the HTML report is one file that opens offline.
// Series differ by colour and marker, never by dash pattern: Skia's SVG canvas has no path effects,
// prints "Unsupported path effect in addPaint." to stderr for every dashed segment (dozens of lines
// after a failing 'repro check') and emits each dash as a separate path.
internal static partial class LossCharts
{
    // Tall enough that the legend below the axes leaves the data area most of the height.
    const int Width = 640, Height = 420;

    internal static string Curves(ReportInput input, string metric)
    {
        var plot = new Plot();
        AddSeries(plot, input.Run, "this run", metric, Colors.Red, MarkerShape.FilledCircle, 2.5f);
        if (input.Baseline is { } baseline && !ReferenceEquals(baseline, input.Run))
            AddSeries(plot, baseline, "baseline " + baseline.Key, metric, Colors.Black, MarkerShape.OpenCircle, 1.5f);
        var palette = new ScottPlot.Palettes.Category10();
        var i = 0;
        foreach (var other in input.OtherKeys)
            AddSeries(plot, other, other.Key, metric, palette.GetColor(i++), MarkerShape.OpenSquare, 1f);
        plot.Title(metric);
        plot.XLabel("epoch");
        plot.YLabel(metric);
        return Svg(plot);
    }

    internal static string Differences(ReportInput input, string metric)
    {
        var plot = new Plot();
        // Same colour and marker per reference as in the curves above: the baseline black, other keys in palette order.
        var references = new List<(BaselineFile File, string Label, Color Color, MarkerShape Marker)>();
        if (input.Baseline is { } baseline && !ReferenceEquals(baseline, input.Run))
            references.Add((baseline, "run - baseline " + baseline.Key, Colors.Black, MarkerShape.OpenCircle));
        var palette = new ScottPlot.Palettes.Category10();
        var i = 0;
        foreach (var other in input.OtherKeys)
            references.Add((other, "run - " + other.Key, palette.GetColor(i++), MarkerShape.OpenSquare));
        foreach (var (reference, label, color, marker) in references)
        {
            var count = Math.Min(reference.Fingerprint.Epochs.Count, input.Run.Fingerprint.Epochs.Count);
            if (count == 0) continue;
            var xs = Enumerable.Range(0, count).Select(e => (double)input.Run.Fingerprint.Epochs[e].Epoch).ToArray();
            var ys = Enumerable.Range(0, count).Select(e =>
                Value(input.Run.Fingerprint.Epochs[e], metric) - Value(reference.Fingerprint.Epochs[e], metric)).ToArray();
            var line = plot.Add.Scatter(xs, ys, color);
            line.LegendText = label;
            line.MarkerShape = marker;
            line.MarkerSize = 8;
            line.LineWidth = 1.5f;
        }
        plot.Add.HorizontalLine(0, 1, Colors.Gray.WithAlpha(0.6), LinePattern.Solid);
        plot.Title(metric + ": difference per epoch");
        plot.XLabel("epoch");
        plot.YLabel("difference");
        return Svg(plot);
    }

    static void AddSeries(Plot plot, BaselineFile file, string label, string metric, Color color, MarkerShape marker, float width)
    {
        var epochs = file.Fingerprint.Epochs;
        if (epochs.Count == 0) return;
        var line = plot.Add.Scatter(epochs.Select(e => (double)e.Epoch).ToArray(), epochs.Select(e => Value(e, metric)).ToArray(), color);
        line.LegendText = label;
        line.MarkerShape = marker;
        line.MarkerSize = 8;
        line.LineWidth = width;
    }

    // A metric a run lacks is a gap in its curve, not a zero.
    static double Value(EpochRecord epoch, string metric) => epoch.Metrics.TryGetValue(metric, out var value) ? value : double.NaN;

    static string Svg(Plot plot)
    {
        // Epochs are whole numbers; the legend goes below the axes so it never covers a curve.
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plot.ShowLegend(Edge.Bottom);
        plot.Font.Set(SansFont.Value);
        var svg = plot.GetSvgXml(Width, Height);
        var start = svg.IndexOf("<svg", StringComparison.Ordinal);
        svg = start > 0 ? svg[start..] : svg;
        // The SVG names the font found on the machine that wrote the report; a viewer without it
        // should fall back to another sans-serif font (similar widths), not the browser's serif default.
        return FontFamily().Replace(svg, m => $"font-family=\"{m.Groups[1].Value}, sans-serif\"");
    }

    // ScottPlot's own detection (Fonts.Sans) answers "DejaVu Serif" on Debian with DejaVu Sans
    // installed, so the charts came out in a serif face; pick an installed sans font by name.
    static readonly Lazy<string> SansFont = new(() =>
    {
        var installed = SkiaSharp.SKFontManager.Default.GetFontFamilies();
        return new[] { "DejaVu Sans", "Liberation Sans", "Arial", "Helvetica", "Segoe UI", "Noto Sans" }
            .FirstOrDefault(f => installed.Contains(f, StringComparer.OrdinalIgnoreCase)) ?? Fonts.Sans;
    });

    [System.Text.RegularExpressions.GeneratedRegex("font-family=\"([^\"]*)\"")]
    private static partial System.Text.RegularExpressions.Regex FontFamily();
}
