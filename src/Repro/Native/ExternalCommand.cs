using System.Diagnostics;

namespace Repro.Native;

// Asks another program for one fact (git's commit, python's torch folder): trimmed stdout when it
// succeeds in time, null when it is missing, fails or hangs - never an exception.
internal static class ExternalCommand
{
    internal static string? TryOutput(string fileName, string arguments, TimeSpan timeout)
    {
        try
        {
            var start = new ProcessStartInfo(fileName, arguments)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            using var process = Process.Start(start);
            if (process is null) return null;
            var output = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                return null;
            }
            var text = output.Result.Trim();
            return process.ExitCode == 0 && text.Length > 0 ? text : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
