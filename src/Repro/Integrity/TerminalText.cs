using System.Globalization;
using System.Text;

namespace Repro;

// Names and origin fields come from files anyone can edit or from CI artifacts; printed raw, an ESC
// sequence could rewrite the terminal and a right-to-left override could make one name read as another.
internal static class TerminalText
{
    /// <summary>The text with control, format (bidi overrides, zero-width) and line/paragraph separator characters as \u escapes.</summary>
    internal static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text)) return text ?? "";
        if (!NeedsEscape(text)) return text;
        var builder = new StringBuilder(text.Length + 16);
        foreach (var c in text)
            builder.Append(IsUnsafe(c) ? "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture) : c.ToString());
        return builder.ToString();
    }

    /// <summary>As <see cref="Escape"/>, but line breaks stay: for a message that may span lines.</summary>
    internal static string EscapeKeepingLines(string? text) =>
        string.Join('\n', (text ?? "").Split('\n').Select(line => Escape(line.TrimEnd('\r'))));

    static bool NeedsEscape(string text)
    {
        foreach (var c in text) if (IsUnsafe(c)) return true;
        return false;
    }

    static bool IsUnsafe(char c) => char.GetUnicodeCategory(c) is UnicodeCategory.Control or UnicodeCategory.Format
        or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Surrogate or UnicodeCategory.OtherNotAssigned;
}
