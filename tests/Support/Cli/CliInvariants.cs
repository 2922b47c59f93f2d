using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit;

namespace Repro.Tests.Support.Cli;

// What every repro invocation must satisfy, whatever it was given: a documented exit code, no stack
// trace, one 'error:' line on exit 4 with nothing written under the snapshots folder, and one JSON
// document on stdout with --json.
internal static partial class CliInvariants
{
    internal static readonly int[] DocumentedExitCodes = [0, 1, 2, 3, 4];

    internal static void Hold(CliResult result, bool json, FolderState before, FolderState after, string because)
    {
        var context = because + "\n" + result;
        Assert.True(DocumentedExitCodes.Contains(result.ExitCode), "undocumented exit code: " + context);
        Assert.False(StackFrame().IsMatch(result.Out + result.Error), "a stack trace reached the user: " + context);
        Assert.DoesNotContain("Unhandled exception", result.Out + result.Error, StringComparison.Ordinal);
        if (result.ExitCode == 4)
        {
            var errors = result.Error.Split('\n').Where(l => l.StartsWith("error:", StringComparison.Ordinal)).ToList();
            Assert.True(errors.Count == 1, "exit 4 needs exactly one error line: " + context);
            Assert.True(before.Equals(after), $"exit 4 but the snapshots folder changed ({before} -> {after}): " + context);
        }
        if (json)
        {
            Assert.False(string.IsNullOrWhiteSpace(result.Out), "--json printed no document: " + context);
            try { using var _ = JsonDocument.Parse(result.Out); }
            catch (JsonException ex) { Assert.Fail($"--json printed invalid JSON ({ex.Message}): " + context); }
        }
    }

    [GeneratedRegex(@"^\s+at [\w.<>`]+.*\(.*\)", RegexOptions.Multiline)]
    private static partial Regex StackFrame();
}

/// <summary>Every file under a folder (hidden temp files included) and a hash of its bytes; "absent" when there is no folder.</summary>
internal sealed record FolderState(string Description)
{
    internal static FolderState Of(string root)
    {
        if (!Directory.Exists(root)) return new("absent");
        var files = Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(p => Path.GetRelativePath(root, p) + (File.Exists(p) ? "=" + Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(p)))[..12] : "/"));
        return new(string.Join(";", files) is { Length: > 0 } list ? list : "empty");
    }

    public override string ToString() => Description;
}
