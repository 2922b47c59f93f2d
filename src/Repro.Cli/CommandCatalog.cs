using System.CommandLine;
using Repro.Cli.Commands;

namespace Repro.Cli;

internal static class CommandCatalog
{
    internal static IEnumerable<Command> All() =>
    [
        CheckCommand.Create(),
        RunCommand.Create(),
        ApproveCommand.Create(),
        DiffCommand.Create(),
        StatusCommand.Create(),
        AliasCommand.Create(),
        EnvCommand.Create(),
        CalibrateCommand.Create(),
        ReportCommand.Create(),
        DoctorCommand.Create(),
        ExportCommand.Create(),
    ];
}
