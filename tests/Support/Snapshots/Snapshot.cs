using System.Runtime.CompilerServices;
using Xunit;

namespace Repro.Tests.Support.Snapshots;

/// <summary>
/// The suite's own received/verified flow for text users read (the public API, reports, CLI errors):
/// <c>{name}.verified.txt</c> beside the test is the approved text; a run that produces other text writes
/// <c>{name}.received.txt</c> there and fails. Review the diff, then move received over verified to approve.
/// </summary>
internal static class Snapshot
{
    internal static void Match(string actual, string name, [CallerFilePath] string testFile = "")
    {
        var directory = Path.GetDirectoryName(testFile)
            ?? throw new InvalidOperationException($"No directory in the caller path '{testFile}'.");
        var verified = Path.Combine(directory, name + ".verified.txt");
        var received = Path.Combine(directory, name + ".received.txt");
        var text = Normalise(actual);
        if (File.Exists(verified) && Normalise(File.ReadAllText(verified)) == text)
        {
            File.Delete(received);
            return;
        }
        var temporary = received + ".tmp";
        File.WriteAllText(temporary, text);
        File.Move(temporary, received, overwrite: true);
        var hint = File.Exists(verified)
            ? $"differs from {name}.verified.txt; first difference at line {FirstDifferentLine(Normalise(File.ReadAllText(verified)), text)}"
            : $"has no {name}.verified.txt yet";
        Assert.Fail($"Snapshot '{name}' {hint}. Wrote {received}: review it (diff it against the verified file), then move it over {name}.verified.txt to approve.");
    }

    // Line endings and a trailing newline are not content: a checkout with autocrlf must still match.
    static string Normalise(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n') + "\n";

    static int FirstDifferentLine(string expected, string actual)
    {
        var a = expected.Split('\n');
        var b = actual.Split('\n');
        var line = 0;
        while (line < a.Length && line < b.Length && a[line] == b[line]) line++;
        return line + 1;
    }
}
