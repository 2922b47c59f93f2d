using System.CommandLine;

namespace Repro.Cli;

// One place that turns parse errors and user-fixable problems into exit code 4 with one clear line.
internal static class CommandRunner
{
    internal static int Run(RootCommand root, string[] args)
    {
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            Output.Error(parsed.Errors[0].Message);
            Console.Error.WriteLine();
            Console.Error.WriteLine($"Usage: {Usage(parsed.CommandResult.Command)}");
            Console.Error.WriteLine($"Run 'repro {CommandPath(parsed.CommandResult.Command)} --help' for details.".Replace("repro  ", "repro ", StringComparison.Ordinal));
            return ExitCodes.UsageOrEnvironment;
        }
        try
        {
            return parsed.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (ReproException ex)
        {
            Output.Error(ex.Message);
            return ExitCodes.UsageOrEnvironment;
        }
    }

    static string CommandPath(Command command) =>
        command is RootCommand ? "" : command.Name;

    static string Usage(Command command)
    {
        var options = command.Options.Where(o => !o.Hidden).Select(o => o.Required ? o.Name + " <value>" : "[" + o.Name + "]");
        var subcommands = command.Subcommands.Count > 0 ? " <" + string.Join("|", command.Subcommands.Select(c => c.Name)) + ">" : "";
        return ("repro " + CommandPath(command)).TrimEnd() + subcommands + " " + string.Join(" ", options);
    }
}
