using System.Runtime.InteropServices;
using System.Text.Json;

namespace Repro.Cli;

// Every exception, as the one line a user can act on: what Repro was doing and what to do. Repro's own
// errors already say both; the file system, JSON and libtorch get the command and a fix added; anything
// else is a bug, whose full details go to a file instead of a stack trace on the terminal.
internal static class FailureMessage
{
    internal static string Of(Exception exception, string command)
    {
        var ex = Unwrap(exception);
        return ex switch
        {
            ReproException => OneLine(ex.Message),
            IOException or UnauthorizedAccessException =>
                $"{command} could not read or write a file: {OneLine(ex.Message)} Check that the path exists, is a folder where a folder is expected, and is writable.",
            JsonException =>
                $"{command} could not read a JSON file: {OneLine(ex.Message)} Restore the file (git checkout) or re-create it with the command that writes it.",
            ExternalException or OutOfMemoryException =>
                $"{NativeFailure.Describe(ex)} while running '{command}'. {NativeFailure.Advice(ex)}",
            _ => Bug(ex, command),
        };
    }

    static Exception Unwrap(Exception exception)
    {
        var ex = exception;
        while (ex is AggregateException { InnerExceptions.Count: 1 } or System.Reflection.TargetInvocationException { InnerException: not null })
            ex = ex.InnerException!;
        return ex;
    }

    static string Bug(Exception ex, string command)
    {
        string details;
        try
        {
            details = PrivateTemp.CreateNewFile("repro-error", ".txt", $"repro {string.Join(' ', System.Environment.GetCommandLineArgs().Skip(1))}\n{ex}\n");
        }
        catch (Exception write) when (write is IOException or UnauthorizedAccessException)
        {
            details = "(could not be written: " + write.Message + ")";
        }
        return $"{command} failed unexpectedly ({ex.GetType().Name}: {OneLine(ex.Message)}). This is a bug in Repro or in a check from --assembly, not in your input; the details are in {details}: " +
            "please attach them to a bug report.";
    }

    static string OneLine(string message) => NativeFailure.FirstLine(message.ReplaceLineEndings(" ").Trim()) is var line && line.Length > 0 ? line : message.Trim();
}
