using System.CommandLine;

namespace Repro.Cli.Commands;

internal static class EnvCommand
{
    internal static Command Create()
    {
        var command = new Command("env", """
            Print this machine's environment fingerprint, its baseline key and the determinism state as libtorch reports it.

            Examples:
              repro env
              repro env --device cpu --json
            """);
        command.Options.Add(CliOptions.Device);
        command.SetAction(result =>
        {
            var output = new Output(result.GetValue(CliOptions.Json));
            var state = Determinism.Apply(new DeterminismOptions { Device = CliOptions.DeviceOf(result) });
            var environment = EnvironmentFingerprint.Capture();
            if (output.IsJson)
            {
                output.Document(new { key = environment.Key, environment, determinism = state, notes = NativeRuntime.Current?.Notes });
                return ExitCodes.Pass;
            }
            output.Line($"Baseline key: {environment.Key}");
            output.Line("");
            output.Line("Environment:");
            foreach (var (name, value) in Describe(environment)) output.Line($"  {name,-22} {value}");
            output.Line("");
            output.Line("Determinism (read back from libtorch):");
            foreach (var (name, value) in Describe(state)) output.Line($"  {name,-22} {value}");
            foreach (var note in NativeRuntime.Current?.Notes ?? []) output.Line($"Note: {note}");
            return ExitCodes.Pass;
        });
        return command;
    }

    internal static IEnumerable<(string, string)> Describe<T>(T record) where T : notnull =>
        typeof(T).GetProperties()
            .Where(p => p.GetIndexParameters().Length == 0)
            .Select(p => (p.Name, p.GetValue(record)?.ToString() ?? "(none)"));
}
