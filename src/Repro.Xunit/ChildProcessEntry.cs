using System.ComponentModel;
using System.Reflection;

namespace Repro.Xunit;

/// <summary>
/// Lets a test project's own executable serve as the second process that settles a mismatch and as the
/// fresh process that resumes a checkpoint. Repro.Xunit's build files call it from a module initializer
/// they add to the test project; nothing else needs to.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ChildProcessEntry
{
    /// <summary>
    /// In a process Repro started for a child training, trains the requested check of
    /// <paramref name="testAssembly"/>, writes its run and exits the process; otherwise returns at once.
    /// </summary>
    public static void RunIfRequested(Assembly testAssembly)
    {
        ArgumentNullException.ThrowIfNull(testAssembly);
        ChildEntry.RunIfRequested(testAssembly);
    }
}
