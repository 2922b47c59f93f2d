using System.Text;

namespace Repro.Reports;

/// <summary>The baseline matrix (<c>repro status --markdown</c>) as Markdown for CI step summaries and pull requests.</summary>
internal static class StatusSummary
{
    /// <summary>A table of tests x keys (approval date and commit, alias, stale, pending) and the groups of identical keys.</summary>
    public static string Render(BaselineMatrix matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        var text = new StringBuilder("### Repro baselines\n\n");
        if (matrix.Tests.Count == 0) return text.Append("No baselines under `").Append(matrix.Root).Append("`.\n").ToString();
        text.Append("| test | ").AppendJoin(" | ", matrix.Keys.Select(k => "`" + k + "`")).Append(" |\n|---|")
            .Append(string.Concat(matrix.Keys.Select(_ => "---|"))).Append('\n');
        foreach (var row in matrix.Tests)
            text.Append("| ").Append(row.Test).Append(" | ").AppendJoin(" | ", row.Cells.Select(Cell)).Append(" |\n");
        var groups = matrix.Tests.SelectMany(r => r.Groups.Select(g => (r.Test, Group: g))).ToList();
        if (groups.Count > 0)
        {
            text.Append("\nKeys with bit-identical numbers:\n\n");
            foreach (var (test, group) in groups)
                text.Append("- ").Append(test).Append(" group ").Append(group.Id).Append(" (model `").Append(Short(group.ModelHash)).Append("`): ")
                    .AppendJoin(", ", group.Keys.Select(k => "`" + k + "`"))
                    .Append(group.Holders.Count > 1 ? " (" + group.Holders.Count + " separate copies: `repro alias` shares them)" : "").Append('\n');
        }
        var stale = matrix.Tests.SelectMany(r => r.Cells.Where(c => c.Stale == true).Select(c => (r.Test, c.Key))).ToList();
        if (stale.Count > 0)
            text.Append("\n**Stale** (trained with other settings than this checkout's check; re-run and approve): ")
                .AppendJoin(", ", stale.Select(s => $"{s.Test} on `{s.Key}`")).Append('\n');
        return text.ToString();
    }

    static string Cell(BaselineMatrix.Cell cell)
    {
        var parts = new List<string>();
        switch (cell.State)
        {
            case BaselineState.None: parts.Add("-"); break;
            case BaselineState.Error: parts.Add("error"); break;
            default:
                parts.Add(cell.State == BaselineState.Alias ? "= `" + cell.AliasOf + "`" : "yes");
                if (cell.Approval is { } a) parts.Add(a.At.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) + (a.Commit is null ? "" : " `" + Short(a.Commit, 8) + "`"));
                if (cell.Group is { } g) parts.Add("group " + g);
                if (cell.Stale == true) parts.Add("**stale**");
                break;
        }
        if (cell.Pending) parts.Add("received pending");
        return string.Join(", ", parts);
    }

    static string Short(string hash, int length = 12) => hash.Length > length ? hash[..length] : hash;
}
