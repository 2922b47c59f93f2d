using System.CommandLine;

namespace Repro.Cli.Commands;

internal static class AliasCommand
{
    internal static Command Create()
    {
        var command = new Command("alias", """
            Share baselines that are already bit-identical: each key whose verified baseline equals another key's
            (every metric's bits and every hash) gets an alias of it instead of its own copy, keeping its own
            environment, approval and CI origin. No number changes. 'repro status' shows the candidates; approving
            new runs does this by itself. Refused on CI.

            Examples:
              repro alias
              repro alias --test dualtask-chapter
              repro alias --key nvidia-h200/cuda-13.0
            """);
        command.Options.Add(CliOptions.Key);
        command.Options.Add(CliOptions.Test);
        command.Options.Add(CliOptions.Snapshots);
        command.SetAction(result =>
        {
            var output = new Output(result.GetValue(CliOptions.Json));
            if (CiDetector.Detect() is { } ci)
                throw new ReproException($"repro alias was refused: this looks like CI ({ci}). Run it on a workstation and commit the result.");
            var store = CliOptions.StoreOf(result);
            var shared = store.ShareIdentical(CliOptions.KeyOf(result), result.GetValue(CliOptions.Test));
            if (shared.Count == 0) output.Line($"Nothing to share: no verified baseline under {store.Root} is a separate copy of another key's numbers.");
            foreach (var s in shared) output.Line($"{s.Key} {s.Test}: now shares {s.AliasOf}'s baseline ({s.Path}; numbers in {s.Source})");
            output.Document(new { shared, root = store.Root });
            return ExitCodes.Pass;
        });
        return command;
    }
}
