using System.CommandLine;
using System.Globalization;
using Repro.Reports;

namespace Repro.Cli.Commands;

internal static class StatusCommand
{
    internal static Command Create()
    {
        var markdown = new Option<bool>("--markdown") { Description = "Write the matrix as Markdown (for $GITHUB_STEP_SUMMARY or a pull request) instead of text." };
        var command = new Command("status", """
            The baselines in the snapshots folder: tests x environment keys, when and at which commit each was
            approved (and from which CI run), which are stale against this checkout's settings of the built-in
            checks, which keys share numbers bit for bit (groups), and received runs waiting for review.

            Examples:
              repro status
              repro status --json
              repro status --markdown >> "$GITHUB_STEP_SUMMARY"
              repro status --assembly bin/Debug/net10.0/MyTests.dll
            """);
        var assembly = new Option<string?>("--assembly") { Description = "Also tell stale baselines of your own checks: " +
            "the built test assembly that holds them (every check there with a public parameterless constructor).", HelpName = "file.dll" };
        command.Options.Add(CliOptions.Snapshots);
        command.Options.Add(markdown);
        command.Options.Add(assembly);
        command.SetAction(result =>
        {
            var output = new Output(result.GetValue(CliOptions.Json));
            if (output.IsJson && result.GetValue(markdown))
                throw new ReproException("--json and --markdown each choose the output format; pass one of them.");
            var store = CliOptions.StoreOf(result);
            var own = result.GetValue(assembly) is { } path ? CurrentHashes(CliCheck.AllIn(path)) : new Dictionary<string, string>();
            var matrix = BaselineMatrix.Of(store, file => BuiltInChecks.CurrentConfigHash(file) ?? own.GetValueOrDefault(file.Fingerprint.Name));
            if (result.GetValue(markdown)) Console.Write(StatusSummary.Render(matrix));
            else if (output.IsJson) output.Document(matrix);
            else foreach (var line in Text(matrix)) output.Line(line);
            return ExitCodes.Pass;
        });
        return command;
    }

    // A user's check, by the name its baselines record, and the config hash its code has now.
    static Dictionary<string, string> CurrentHashes(IReadOnlyList<CliCheck> checks)
    {
        var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var check in checks)
        {
            using var probe = check.Create();
            hashes[check.Name] = TrainingHarness.DescribeSettings(probe).Hash;
        }
        return hashes;
    }

    internal static IEnumerable<string> Text(BaselineMatrix matrix)
    {
        if (matrix.Tests.Count == 0)
        {
            yield return $"No baselines under {matrix.Root}.";
            yield break;
        }
        yield return $"Baselines under {matrix.Root}: {matrix.Tests.Count} test(s), {matrix.Keys.Count} environment key(s).";
        var width = matrix.Keys.Max(k => k.Length);
        foreach (var row in matrix.Tests)
        {
            yield return "";
            yield return row.Test;
            foreach (var cell in row.Cells) yield return $"  {cell.Key.PadRight(width)}  {Describe(cell)}";
            foreach (var group in row.Groups)
                yield return $"  group {group.Id}: {string.Join(", ", group.Keys)} hold bit-identical numbers (model {group.ModelHash[..Math.Min(12, group.ModelHash.Length)]})" +
                    (group.Holders.Count > 1 ? $"; {group.Holders.Count} separate copies ('repro alias --test {row.Test}' shares them)" : "");
        }
    }

    static string Describe(BaselineMatrix.Cell cell)
    {
        var text = cell.State switch
        {
            BaselineState.None => "-",
            BaselineState.Error => "error: " + cell.Error,
            BaselineState.Alias => $"shares {cell.AliasOf}",
            _ => "baseline",
        };
        if (cell.State is BaselineState.Own or BaselineState.Alias)
        {
            if (cell.Approval is { } a)
                text += $", approved {a.At.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC" + (a.Commit is null ? "" : $" at {a.Commit[..Math.Min(8, a.Commit.Length)]}") + $" by {a.By}";
            if (cell.Origin is { } o) text += $", from {o}";
            if (cell.Group is { } g) text += $", group {g}";
            text += cell.Stale switch
            {
                true => $", STALE (config {Short(cell.ConfigHash)}, this checkout's check has {Short(cell.CurrentConfigHash)})",
                false => ", current",
                null => "",
            };
        }
        return cell.Pending ? text + ", received run pending ('repro diff')" : text;
    }

    static string Short(string? hash) => hash is null ? "?" : hash[..Math.Min(8, hash.Length)];
}
