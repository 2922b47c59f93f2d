using System.CommandLine;
using Repro;
using Repro.Cli;
using Repro.Cli.Commands;

var root = new RootCommand("""
    repro: reproducible TorchSharp training, proven against committed baselines.

    Examples:
      repro check                      train the default check and compare with this machine's baseline
      repro env                        print the environment fingerprint and baseline key
      repro approve                    accept this machine's received runs as baselines
      repro report                     write an HTML + Markdown report of the last runs
      repro doctor                     find and name every cause of non-reproducible training
    """);
root.Options.Add(CliOptions.Json);
foreach (var command in CommandCatalog.All()) root.Subcommands.Add(command);
return CommandRunner.Run(root, args);
