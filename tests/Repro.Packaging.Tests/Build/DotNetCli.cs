using System.Text.RegularExpressions;

namespace Repro.Packaging.Tests.Build;

// Runs the dotnet CLI as a child process with an environment that does not leak this test host's
// own settings: the variables under test (CUBLAS_WORKSPACE_CONFIG, REPRO_*) must come from the
// child's build, and VSTest/MSBuild variables of the outer run must not steer the inner one.
internal static partial class DotNetCli
{
    internal sealed record Result(int ExitCode, string Output)
    {
        public override string ToString() => $"exit code {ExitCode}, output (last 6000 chars):\n{(Output.Length > 6000 ? Output[^6000..] : Output)}";
    }

    internal sealed record Summary(int Failed, int Passed, int Skipped, int Total);

    static readonly string[] ScrubbedPrefixes = ["VSTEST", "MSBUILD", "TESTINGPLATFORM", "REPRO_", "CUBLAS_", "ATEN_", "XUNIT"];

    internal static Result Run(string workingDirectory, params string[] arguments) => RunProgram("dotnet", workingDirectory, arguments);

    /// <summary>Runs <paramref name="program"/> (dotnet, or an installed tool) in the scrubbed environment; <paramref name="environment"/> may change it further.</summary>
    internal static Result RunProgram(string program, string workingDirectory, IEnumerable<string> arguments, Action<IDictionary<string, string?>>? environment = null)
    {
        var (exitCode, output) = ChildProcess.Run(program, arguments, workingDirectory, variables =>
        {
            foreach (var name in variables.Keys.ToList())
                if (ScrubbedPrefixes.Any(p => name.StartsWith(p, StringComparison.OrdinalIgnoreCase))) variables.Remove(name);
            // No build servers: nothing of ours may outlive the test.
            variables["MSBUILDDISABLENODEREUSE"] = "1";
            variables["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
            variables["UseSharedCompilation"] = "false";
            environment?.Invoke(variables);
        });
        return new Result(exitCode, output);
    }

    /// <summary>
    /// The counts from VSTest's one-line summary ("Passed!  - Failed: 0, Passed: 2, Skipped: 0, Total: 2"),
    /// or, at normal verbosity, from its "Total tests: / Passed: / Skipped: / Failed:" block.
    /// </summary>
    internal static Summary ParseSummary(Result result)
    {
        static int Number(Match m) => int.Parse(m.Groups["n"].Value, System.Globalization.CultureInfo.InvariantCulture);
        var line = SummaryPattern().Match(result.Output);
        if (line.Success)
        {
            int Group(string name) => int.Parse(line.Groups[name].Value, System.Globalization.CultureInfo.InvariantCulture);
            return new Summary(Group("failed"), Group("passed"), Group("skipped"), Group("total"));
        }
        var total = TotalPattern().Match(result.Output);
        if (!total.Success) throw new InvalidOperationException($"No test summary in the output: {result}");
        var block = result.Output[total.Index..];
        int Count(string label) => Regex.Match(block, @"^\s*" + label + @":\s*(?<n>\d+)\s*$", RegexOptions.Multiline) is { Success: true } m ? Number(m) : 0;
        return new Summary(Count("Failed"), Count("Passed"), Count("Skipped"), Number(total));
    }

    [GeneratedRegex(@"^Total tests:\s*(?<n>\d+)", RegexOptions.Multiline)]
    private static partial Regex TotalPattern();

    [GeneratedRegex(@"Failed:\s*(?<failed>\d+),\s*Passed:\s*(?<passed>\d+),\s*Skipped:\s*(?<skipped>\d+),\s*Total:\s*(?<total>\d+)")]
    private static partial Regex SummaryPattern();
}
