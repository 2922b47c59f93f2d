using Repro.Cli;

return CommandRunner.Run(CliRoot.Create(), args);
