using System.CommandLine;

namespace Repro.Cli;

// The one-line synopsis printed under an error: the command the user was typing, not the root.
internal static class Usage
{
    internal static string Line(Command command)
    {
        var options = command.Options.Where(o => !o.Hidden).Select(Describe);
        var subcommands = command.Subcommands.Count > 0 ? " <" + string.Join("|", command.Subcommands.Select(c => c.Name)) + ">" : "";
        return (Path(command) + subcommands + " " + string.Join(" ", options)).TrimEnd();
    }

    internal static string Path(Command command) => command is RootCommand ? "repro" : "repro " + command.Name;

    // Flags need no value; everything else shows what it takes, so the line alone is enough to retype the command.
    static string Describe(Option option)
    {
        var text = option.ValueType == typeof(bool) || option.Arity.MaximumNumberOfValues == 0 ? option.Name : $"{option.Name} <{option.HelpName ?? "value"}>";
        return option.Required ? text : "[" + text + "]";
    }
}
