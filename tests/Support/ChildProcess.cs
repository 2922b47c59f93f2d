using System.Diagnostics;
using System.Text;

namespace Repro.Tests.Support;

// Runs `dotnet` (or another program) as a child process, collecting stdout and stderr together, with a
// hard time limit so that a hung child fails the test instead of the whole run.
internal static class ChildProcess
{
    internal static (int ExitCode, string Output) RunDotNet(IEnumerable<string> arguments, string? workingDirectory = null,
        Action<IDictionary<string, string?>>? environment = null) => Run("dotnet", arguments, workingDirectory, environment);

    internal static (int ExitCode, string Output) Run(string program, IEnumerable<string> arguments, string? workingDirectory = null,
        Action<IDictionary<string, string?>>? environment = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (workingDirectory is not null) start.WorkingDirectory = workingDirectory;
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["DOTNET_NOLOGO"] = "1";
        environment?.Invoke(start.Environment);

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', start.ArgumentList)} ran longer than 5 minutes:\n{output}");
        }
        process.WaitForExit();
        lock (output) return (process.ExitCode, output.ToString());
    }
}
