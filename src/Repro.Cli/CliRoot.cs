using System.CommandLine;

namespace Repro.Cli;

// The whole command tree, built in one place so tests run exactly what the repro executable runs.
internal static class CliRoot
{
    internal static RootCommand Create()
    {
        var root = new RootCommand("""
            repro: reproducible TorchSharp training, proven against committed baselines.

            Examples:
              repro check                      train the default check and compare with this machine's baseline
              repro env                        print the environment fingerprint and baseline key
              repro approve                    accept this machine's received runs as baselines
              repro approve --from ci-artifacts accept the received runs of a CI run's artifacts, every key
              repro status                     the baselines: tests x environment keys, stale ones, identical groups
              repro report                     write an HTML + Markdown report of the last runs
              repro doctor                     find and name every cause of non-reproducible training
            """);
        root.Options.Add(CliOptions.Json);
        foreach (var command in CommandCatalog.All()) root.Subcommands.Add(command);
        return root;
    }
}
