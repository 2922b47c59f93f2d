using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text.RegularExpressions;

namespace Repro.Cli;

// System.CommandLine's parse errors, reduced to the one line a person needs: the error about the
// word they typed, on one line, naming the option, with CLR type names put into words.
internal static partial class ParseErrorLine
{
    internal static string From(ParseResult parsed)
    {
        // An unknown word also leaves "Required command was not provided" on the root; the unknown
        // word is the actual mistake, so it wins.
        var error = parsed.Errors.FirstOrDefault(e => parsed.UnmatchedTokens.Any(t => e.Message.Contains($"'{t}'", StringComparison.Ordinal)))
            ?? parsed.Errors[0];
        var message = Words(OneLine(error.Message));
        return OptionOf(error.SymbolResult) is { } option && !message.Contains(option, StringComparison.Ordinal)
            ? $"{option}: {message}"
            : message;
    }

    // AcceptOnlyFromAmong lists the allowed values one per line, tab-indented.
    static string OneLine(string message)
    {
        var lines = message.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return lines.Length <= 1 ? message.Trim() : lines[0] + " " + string.Join(", ", lines[1..]);
    }

    static string Words(string message) => TypeName().Replace(message, m => "as " + m.Groups["type"].Value switch
    {
        "Int32" or "Int64" => "a whole number",
        "Double" or "Single" or "Decimal" => "a number",
        "Boolean" => "true or false",
        var other => other,
    });

    static string? OptionOf(SymbolResult? result) => result switch
    {
        OptionResult option => option.Option.Name,
        ArgumentResult { Parent: OptionResult option } => option.Option.Name,
        _ => null,
    };

    [GeneratedRegex(@"as expected type '(?:System\.Nullable`1\[)?System\.(?<type>\w+)\]?'")]
    private static partial Regex TypeName();
}
