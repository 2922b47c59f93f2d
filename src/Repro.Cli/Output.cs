using System.Text.Json;
using Spectre.Console;

namespace Repro.Cli;

// Text for people, one JSON document for machines; never both on stdout.
internal sealed class Output(bool json)
{
    internal bool IsJson { get; } = json;

    /// <summary>Plain lines instead of live widgets: redirected output, CI, or --json.</summary>
    internal bool Plain { get; } = json || Console.IsOutputRedirected || CiDetector.Detect() is not null;

    internal void Line(string text)
    {
        if (IsJson) Console.Error.WriteLine(text);
        else Console.WriteLine(text);
    }

    internal void Markup(string markup, string plain)
    {
        if (IsJson) Console.Error.WriteLine(plain);
        else if (Plain) Console.WriteLine(plain);
        else AnsiConsole.MarkupLine(markup);
    }

    internal void Document(object value)
    {
        if (IsJson) Console.WriteLine(JsonSerializer.Serialize(value, value.GetType(), ReproJson.Options));
    }

    internal static void Error(string message)
    {
        // Messages quote paths and names from the command line and from files: no raw terminal sequence gets through.
        Console.Error.WriteLine("error: " + TerminalText.EscapeKeepingLines(message));
    }
}
