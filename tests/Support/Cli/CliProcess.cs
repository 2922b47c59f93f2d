
namespace Repro.Tests.Support.Cli;

// Runs the repro CLI (Repro.Cli.dll, copied next to the tests by the project reference) in a child
// process through the dotnet host, so that nothing of this process's libtorch state can leak in.
internal static class CliProcess
{
    internal static string CliPath { get; } = Path.Combine(AppContext.BaseDirectory, "Repro.Cli.dll");

    internal static (int ExitCode, string Output) Run(params string[] arguments)
    {
        if (!File.Exists(CliPath))
            throw new InvalidOperationException($"{CliPath} is missing; a suite that starts the CLI sets ReproTestsUseCli (tests/Directory.Build.targets) so the CLI is copied to the test output.");
        return ChildProcess.RunDotNet([CliPath, .. arguments], environment: environment => environment["REPRO_DEVICE"] = "cpu");
    }
}
