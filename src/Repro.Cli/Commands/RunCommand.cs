using System.CommandLine;

namespace Repro.Cli.Commands;

internal static class RunCommand
{
    internal static Command Create()
    {
        var outputFile = new Option<string?>("--out", "-o") { Description = "Write the fingerprint JSON to this file.", HelpName = "file" };
        var printConfig = new Option<bool>("--print-config") { Description = "Print the resolved config as JSON and exit (a starting point for a config file)." };
        var command = new Command("run", """
            Train a configuration and print (or write) its training fingerprint. Compares nothing.

            Examples:
              repro run
              repro run --config chapter --device cuda --out chapter.json
              repro run --config small --print-config > my-config.json
            """);
        CliOptions.AddTraining(command);
        command.Options.Add(outputFile);
        command.Options.Add(printConfig);
        command.SetAction(result =>
        {
            var output = new Output(result.GetValue(CliOptions.Json));
            var check = CliOptions.CheckOf(result);
            if (result.GetValue(outputFile) is { } target) CliOptions.CheckOutputFile("--out", target);
            if (result.GetValue(printConfig))
            {
                using var instance = check.Create();
                Console.Write(ReproJson.Serialize(TrainingHarness.DescribeSettings(instance).Settings));
                return ExitCodes.Pass;
            }
            var run = CliTraining.FileOf(CliTraining.Train(output, check), check.Name);
            if (result.GetValue(outputFile) is { } path)
            {
                AtomicFile.WriteAllText(path, ReproJson.Serialize(run));
                output.Line($"Wrote {path}");
            }
            if (output.IsJson) output.Document(run);
            return ExitCodes.Pass;
        });
        return command;
    }
}
