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
              repro run --config chapter --checkpoint-dir ckpt --checkpoint-every 1
              repro run --resume ckpt
              repro run --assembly MyTests.dll --check MyCheck --gpus 4 --out run.json

            Checkpoints (docs/checkpoints.md) hold everything the rest of the run depends on; a resumed
            run ends with the fingerprint of an uninterrupted one. --stop-after exits 0 after writing its
            checkpoint.
            """);
        CliOptions.AddTraining(command);
        command.Options.Add(outputFile);
        command.Options.Add(printConfig);
        CheckpointCliOptions.Add(command);
        command.Options.Add(DataParallelLaunch.Gpus);
        command.SetAction(result =>
        {
            var output = new Output(result.GetValue(CliOptions.Json));
            var check = CheckpointCliOptions.CheckOf(result);
            var checkpoints = CheckpointCliOptions.Of(result);
            if (checkpoints is not null)
                using (var probe = check.Create()) checkpoints.Validate(probe);
            if (result.GetValue(outputFile) is { } target) CliOptions.CheckOutputFile("--out", target);
            if (result.GetValue(printConfig))
            {
                using var instance = check.Create();
                Console.Write(ReproJson.Serialize(TrainingHarness.DescribeSettings(instance).Settings));
                return ExitCodes.Pass;
            }
            if (DataParallelLaunch.Run(result, output, check, checkpoints, DataParallelLaunch.VisibleGpus) is { } launched) return launched;
            if (CliTraining.StopBeforeTraining(result, output, check, checkpoints: checkpoints)) return ExitCodes.Pass;
            BaselineFile run;
            try
            {
                run = ChildDataStages.Train(() => CliTraining.FileOf(CliTraining.Train(output, check, checkpoints: checkpoints), check.Name));
            }
            catch (TrainingStoppedException stopped)
            {
                output.Line($"Stopped at {stopped.Position.Describe()}; checkpoint {stopped.Checkpoint}. Resume with: " +
                    $"{ToolCommand.Name} run {check.Describe()}--resume {CliCheck.Quoted(stopped.Checkpoint)}");
                output.Document(new { status = "stopped", check = check.Name, position = stopped.Position.ToString(), checkpoint = stopped.Checkpoint });
                return ExitCodes.Pass;
            }
            if (!DataParallelLaunch.WritesOutput()) return ExitCodes.Pass;
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
