namespace Repro;

/// <summary>
/// A problem the user can fix: the message names what was wrong and how to fix it.
/// Thrown for bad configuration, a broken native setup or a bad baseline file; never for bugs.
/// </summary>
public sealed class ReproException : Exception
{
    public ReproException(string message) : base(message) { }

    public ReproException(string message, Exception inner) : base(message, inner) { }
}
