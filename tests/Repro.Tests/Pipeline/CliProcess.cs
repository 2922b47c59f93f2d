using System.Diagnostics;
using System.Text;

namespace Repro.Tests.Pipeline;

// Runs the repro CLI (Repro.Cli.dll, copied next to the tests by the project reference) in a child
// process through the dotnet host, so that nothing of this process's libtorch state can leak in.
internal static class CliProcess
{
    internal static string CliPath { get; } = Path.Combine(AppContext.BaseDirectory, "Repro.Cli.dll");

    internal static (int ExitCode, string Output) Run(params string[] arguments)
    {
        if (!File.Exists(CliPath))
            throw new InvalidOperationException($"{CliPath} is missing; tests/Repro.Tests must reference src/Repro.Cli so the CLI is copied to the test output.");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(CliPath);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["REPRO_DEVICE"] = "cpu";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet");
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"repro {string.Join(' ', arguments)} ran longer than 5 minutes:\n{output}");
        }
        process.WaitForExit();
        lock (output) return (process.ExitCode, output.ToString());
    }
}
