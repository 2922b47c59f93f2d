using System.Buffers;

namespace Repro;

// Test names become file names and are printed, committed and put into Markdown; one small character
// set keeps them safe in all of those places (no newline, escape, bidi override, path or quote).
internal static class SafeNames
{
    internal const int MaxLength = 128;
    internal const string Charset = "letters A-Z a-z, digits, '.', '_', '+' and '-'";

    static readonly SearchValues<char> Allowed = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._+-");

    /// <summary>Whether <paramref name="c"/> may stand in a baseline name.</summary>
    internal static bool Allows(char c) => Allowed.Contains(c);

    internal static bool IsSafe(string? name) =>
        !string.IsNullOrEmpty(name) && name.Length <= MaxLength && !name.StartsWith('.') && !name.AsSpan().ContainsAnyExcept(Allowed);

    /// <summary>The name itself, or a refusal that quotes it escaped and names the rule.</summary>
    internal static string CheckTest(string? test, string? where = null)
    {
        if (IsSafe(test)) return test!;
        var shown = test is null ? "(null)" : "'" + TerminalText.Escape(test.Length > 64 ? test[..64] + "..." : test) + "'";
        var length = test is { Length: > MaxLength } ? $" ({test.Length} characters)" : "";
        throw new ReproException($"{(where is null ? "" : where + ": ")}{shown}{length} cannot name a baseline: use at most {MaxLength} of {Charset}, not starting with '.' (e.g. " +
            "TestClass.TestMethod).");
    }

    /// <summary>An environment key: EnvironmentKey's own rule plus the length limit, quoted escaped when refused.</summary>
    internal static string CheckKey(string? key, string? where = null)
    {
        if (key is null || key.Length > 2 * MaxLength + 1 || key.Split('/').Any(p => p.Length > MaxLength) || key.AsSpan().ContainsAnyExcept(KeyChars))
            throw new ReproException($"{(where is null ? "" : where + ": ")}'{TerminalText.Escape(key ?? "(null)")}' is not an environment key. " +
                "Keys look like 'nvidia-h100-80gb-hbm3/cuda-13.0' or 'cpu-intel-avx2/libtorch-2.10.0-threads-2'; 'repro env' prints this machine's.");
        return EnvironmentKey.Validate(key);
    }

    static readonly SearchValues<char> KeyChars = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._+-/");
}
