namespace Repro.Advanced;

/// <summary>
/// A check that another process cannot build by a public parameterless constructor (one built from a
/// settings file, say) tells how to rebuild it: the arguments of <c>repro run</c> that train the same check.
/// The doctor's second process, the test's second process and a fresh-process resume use them.
/// </summary>
public interface IChildProcessCheck
{
    /// <summary>In <see cref="ChildProcessArguments"/>, replaced by the path of a file holding the check's settings JSON.</summary>
    const string SettingsFilePlaceholder = "{settings-file}";

    /// <summary>Arguments for <c>repro run</c>, e.g. <c>["--config", SettingsFilePlaceholder]</c>.</summary>
    IReadOnlyList<string> ChildProcessArguments { get; }
}
