using System.Runtime.InteropServices;

namespace Repro;

// libtorch reports a refused operation as an ExternalException whose message carries the C++ stack;
// the user needs its first line, what Repro was doing (the caller adds that) and what to change.
internal static class NativeFailure
{
    /// <summary>"libtorch failed (first line)" or "ran out of memory" for failures worth translating; null for others.</summary>
    internal static string? Describe(Exception exception) => exception switch
    {
        ExternalException external => $"libtorch failed ({FirstLine(external.Message)})",
        OutOfMemoryException => "The process ran out of memory",
        _ => null,
    };

    internal static string Advice(Exception exception) => exception is OutOfMemoryException || FirstLine(exception.Message).Contains("alloc", StringComparison.OrdinalIgnoreCase)
        ? "Use smaller sizes or batches (the check's settings), or a machine with more memory."
        : "The check's settings probably give the layers shapes they cannot take (sizes, dimensions, dtypes or devices that do not fit together): fix the settings or the check's code.";

    /// <summary>libtorch's own message without the C++ frames that follow it.</summary>
    internal static string FirstLine(string message)
    {
        var end = message.IndexOf("Exception raised from", StringComparison.Ordinal);
        var text = (end > 0 ? message[..end] : message).Trim();
        var newline = text.IndexOf('\n');
        return (newline > 0 ? text[..newline] : text).Trim();
    }
}
