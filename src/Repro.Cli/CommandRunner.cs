using System.CommandLine;

namespace Repro.Cli;

// One place that turns parse errors and user-fixable problems into exit code 4: one line saying
// what is wrong, then the usage of the command that was being typed.
internal static class CommandRunner
{
    internal static int Run(RootCommand root, string[] args)
    {
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0) return Fail(ParseErrorLine.From(parsed), parsed.CommandResult.Command);
        try
        {
            return parsed.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (ReproException ex)
        {
            return Fail(ex.Message, parsed.CommandResult.Command);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // An unwritable or missing --snapshots/--out folder is an environment error (exit 4), not a crash (exit 134).
            return Fail(ex.Message, parsed.CommandResult.Command);
        }
    }

    static int Fail(string message, Command command)
    {
        Output.Error(message);
        Console.Error.WriteLine($"Usage: {Usage.Line(command)}");
        Console.Error.WriteLine($"Run '{Usage.Path(command)} --help' for details.");
        return ExitCodes.UsageOrEnvironment;
    }
}
