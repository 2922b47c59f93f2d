namespace Repro.Reports;

/// <summary>Writes the HTML report and Markdown summary of a run.</summary>
internal static class ReportWriter
{
    /// <summary>Writes <c>{directory}/{name}.html</c> and <c>.md</c>; returns the HTML path.</summary>
    public static string Write(ReportInput input, string directory, string name)
    {
        // Temp file + rename: a report cut short by a killed process is never left behind half-written.
        var html = Path.Combine(directory, name + ".html");
        AtomicFile.WriteAllText(html, HtmlReport.Render(input));
        AtomicFile.WriteAllText(Path.Combine(directory, name + ".md"), MarkdownSummary.Render(input));
        return html;
    }

    /// <summary>
    /// For a failed check: the report beside the received file (<c>{test}.received.report.html</c>),
    /// or null when the check passed. A report that cannot be drawn never hides the failure itself.
    /// </summary>
    public static string? TryWrite(BaselineStore store, BaselineOutcome outcome)
    {
        if (outcome.ReceivedPath is null || !File.Exists(outcome.ReceivedPath)) return null;
        try
        {
            var run = BaselineStore.Read(outcome.ReceivedPath);
            return Write(ReportInput.For(store, run), Path.GetDirectoryName(outcome.ReceivedPath)!, outcome.Test + ".received.report");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ReproException or TypeInitializationException or DllNotFoundException)
        {
            Console.Error.WriteLine($"repro: could not write the report ({ex.Message}); the check result stands.");
            return null;
        }
    }
}
