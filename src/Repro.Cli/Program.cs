using Repro.Cli;

return VectorWidthRelaunch.Run(args) ?? CommandRunner.Run(CliRoot.Create(), args);
