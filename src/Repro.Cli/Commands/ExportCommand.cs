using System.CommandLine;
using System.Globalization;

namespace Repro.Cli.Commands;

// Thin over ReplayExport: the files interop/pytorch/replay.py trains from.
internal static class ExportCommand
{
    internal static Command Create()
    {
        var outputDirectory = new Option<string>("--out", "-o") { Description = "Folder to write config.json, data/initial/order.safetensors and torchsharp.json into.", Required = true };
        var command = new Command("export", """
            Export a configuration for the PyTorch replay: initial weights, data, batch orders and the
            derived training seed, then train it with TorchSharp and write its metrics beside them.

            Examples:
              repro export --config small --out /tmp/export
              python3 interop/pytorch/replay.py /tmp/export
            """);
        CliOptions.AddTraining(command);
        command.Options.Add(outputDirectory);
        command.SetAction(result =>
        {
            var output = new Output(result.GetValue(CliOptions.Json));
            var check = CliOptions.CheckOf(result);
            var config = check.Config
                ?? throw new ReproException("export writes the built-in DualTask check for interop/pytorch/replay.py; a check from --assembly has no PyTorch replay. " +
                    "Use --config small|chapter|file.json.");
            var directory = result.GetValue(outputDirectory)!;
            CliOptions.CheckOutputFolder("--out", directory);
            if (CliTraining.StopBeforeTraining(result, output, check)) return ExitCodes.Pass;
            output.Line($"Exporting {config.Name} to {Path.GetFullPath(directory)} (trains once with TorchSharp)");
            var metrics = ReplayExport.Write(config, directory);
            foreach (var epoch in metrics.Epochs)
                output.Line(string.Create(CultureInfo.InvariantCulture, $"epoch {epoch.Epoch}: loss {epoch.TotalLoss:R} val rmse {epoch.ValidationRmse:R}"));
            output.Line($"Wrote {ReplayExport.ConfigFile}, {ReplayExport.DataFile}, {ReplayExport.InitialFile}, {ReplayExport.OrderFile}, {ReplayExport.TorchSharpFile}");
            output.Line($"Replay: python3 interop/pytorch/replay.py {directory}");
            if (output.IsJson) output.Document(metrics);
            return ExitCodes.Pass;
        });
        return command;
    }
}
