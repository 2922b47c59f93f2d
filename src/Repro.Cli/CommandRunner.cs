using System.CommandLine;

namespace Repro.Cli;

// One place that turns parse errors and user-fixable problems into exit code 4: one line saying
// what is wrong, then the usage of the command that was being typed.
internal static class CommandRunner
{
    internal static int Run(RootCommand root, string[] args)
    {
        var parsed = root.Parse(args);
        var json = args.Contains("--json");
        if (parsed.Errors.Count > 0) return Fail(ParseErrorLine.From(parsed), parsed.CommandResult.Command, json);
        try
        {
            return parsed.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (ReproException ex)
        {
            return Fail(ex.Message, parsed.CommandResult.Command, json);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // An unwritable or missing --snapshots/--out folder is an environment error (exit 4), not a crash (exit 134).
            return Fail(ex.Message, parsed.CommandResult.Command, json);
        }
    }

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
