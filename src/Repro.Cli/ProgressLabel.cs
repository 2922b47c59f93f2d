using System.Globalization;

namespace Repro.Cli;

// The live bar's label: which run, which epoch, and as much of the last epoch's losses as fits.
// Spectre collapses a whole progress row to "…" when it is wider than the terminal, so the label
// must be cut to the width left beside the bar, never left to overflow.
internal static class ProgressLabel
{
    /// <summary>Columns taken beside the label and the bar: " 100% 00:00:00 ⣾" and the gaps between columns.</summary>
    internal const int FixedColumns = 17;

    /// <summary>The bar shrinks on narrow terminals so the label keeps room for at least the loss.</summary>
    internal static int BarWidth(int terminalWidth) => Math.Clamp(terminalWidth - FixedColumns - 56, 10, 40);

    internal static string For(string title, int epoch, int epochs, EpochRecord? last, int terminalWidth)
    {
        var head = string.Create(CultureInfo.InvariantCulture, $"{title} epoch {epoch}/{epochs}");
        var room = terminalWidth - FixedColumns - BarWidth(terminalWidth) - 1;
        if (last is null) return head.Length <= room ? head : Cut(head, room);
        foreach (var detail in Details(last))
            if (head.Length + detail.Length <= room) return head + detail;
        return head.Length <= room ? head : Cut(head, room);
    }

    // Longest first: the first four metrics the check reports, then three, two, one.
    static IEnumerable<string> Details(EpochRecord e)
    {
        var metrics = e.Metrics.Take(4).ToList();
        for (var count = metrics.Count; count > 0; count--)
            yield return " | " + string.Join(" ", metrics.Take(count).Select(m => m.Key + " " + m.Value.ToString("G6", CultureInfo.InvariantCulture)));
    }

    static string Cut(string text, int room) => room <= 1 ? "" : text[..(room - 1)] + "…";
}
