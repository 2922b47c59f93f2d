using Repro.Cli;

namespace Repro.Tests.Support.Cli;

/// <summary>What one in-process repro invocation printed and returned.</summary>
internal sealed record CliResult(int ExitCode, string Out, string Error)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Out}\n--- stderr\n{Error}";
}

// Runs the real command tree in this process (seconds faster than a child process per call).
// Console and environment variables are process-wide, so only tests in ReproCollection, which
// runs alone and sequentially, may use this.
internal static class CliRun
{
    // One tree for all calls: the options shared by several commands are static, so a fresh tree per
    // call added them to new parents every time and the calls slowed as those piled up (1,000 config
    // cases: 4 s with one tree; 10,000 with a tree per call had not finished after 20 minutes).
    static readonly System.CommandLine.RootCommand Root = CliRoot.Create();

    internal static CliResult Invoke(params string[] args)
    {
        var (savedOut, savedError) = (Console.Out, Console.Error);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        Console.SetOut(stdout);
        Console.SetError(stderr);
        int code;
        try
        {
            code = CommandRunner.Run(Root, args);
        }
        finally
        {
            Console.SetOut(savedOut);
            Console.SetError(savedError);
        }
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }
}
