using System.CommandLine;

namespace Repro.Cli;

// One place that turns parse errors, user-fixable problems and every other failure into exit code 4:
// one line saying what is wrong, then the usage of the command that was being typed. No exception
// ever leaves the process (no stack trace, no exit 134).
internal static class CommandRunner
{
    internal static int Run(RootCommand root, string[] args)
    {
        var json = args.Contains("--json");
        Command command = root;
        try
        {
            var parsed = root.Parse(args);
            command = parsed.CommandResult.Command;
            if (parsed.Errors.Count > 0) return Fail(ParseErrorLine.From(parsed), command, json);
            if (!IsHelp(parsed)) ReproVariables.ValidateAll();
            return parsed.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception ex)
        {
            return Fail(FailureMessage.Of(ex, Usage.Path(command)), command, json);
        }
    }

    // --help prints and exits; a broken environment must not stop anyone reading the help.
    static bool IsHelp(ParseResult parsed) => parsed.Action is System.CommandLine.Help.HelpAction;

    static int Fail(string message, Command command, bool json)
    {
        // With --json, scripts get a document on stdout even when the command never ran.
        if (json)
            Console.WriteLine(System.Text.Json.JsonSerializer.Serialize(new { status = "error", exitCode = ExitCodes.UsageOrEnvironment, error = message, usage = Usage.Line(command) }, ReproJson.Options));
        Output.Error(message);
        Console.Error.WriteLine($"Usage: {Usage.Line(command)}");
        Console.Error.WriteLine($"Run '{Usage.Path(command)} --help' for details.");
        return ExitCodes.UsageOrEnvironment;
    }
}
