namespace Repro;

/// <summary>
/// Process-wide settings, as Verify's <c>VerifierSettings</c>: each comes from its environment variable
/// unless code sets it (in a <c>[ModuleInitializer]</c> of the test project, before the first check), and
/// Repro reads each only here. Setting one back to null returns it to its variable.
/// </summary>
public static class ReproSettings
{
    /// <summary>The variable behind <see cref="SnapshotsDirectory"/>.</summary>
    public const string SnapshotsVariable = "REPRO_SNAPSHOTS";
    /// <summary>The variable behind <see cref="Accept"/>.</summary>
    public const string AcceptVariable = "REPRO_ACCEPT";
    /// <summary>The variable behind <see cref="DiffTool"/>.</summary>
    public const string DiffToolVariable = "REPRO_DIFFTOOL";
    /// <summary>The variable behind <see cref="Commit"/>.</summary>
    public const string CommitVariable = "REPRO_COMMIT";

    /// <summary>The snapshots folder; null (and <c>REPRO_SNAPSHOTS</c> unset): the project's <c>snapshots</c> folder.</summary>
    public static string? SnapshotsDirectory
    {
        get => SnapshotsOverride ?? Variable(SnapshotsVariable);
        set => SnapshotsOverride = value;
    }

    /// <summary>
    /// Accept runs that do not match (or have no baseline) as new baselines; null (the default): <c>REPRO_ACCEPT</c>
    /// (<c>true</c>/<c>1</c>) decides. On CI an accept request is refused, however it is made.
    /// </summary>
    public static bool? Accept { get; set; }

    /// <summary>Open a failing run's received and verified files in a diff tool; null (the default): <c>REPRO_DIFFTOOL</c> decides. Never on CI.</summary>
    public static bool? DiffTool { get; set; }

    /// <summary>The commit approvals and CI runs record; from <c>REPRO_COMMIT</c> when not set here, else git's HEAD (approvals) or the CI system's commit (runs).</summary>
    public static string? Commit
    {
        get => CommitOverride ?? Variable(CommitVariable);
        set => CommitOverride = value;
    }

    /// <summary>The CI system this process runs on (the variable that says so, e.g. <c>GITHUB_ACTIONS=true</c>), or null on a workstation.</summary>
    public static string? Ci => CiDetector.Detect();

    internal static bool SnapshotsDirectoryFromCode => SnapshotsOverride is not null;

    static string? SnapshotsOverride { get; set; }
    static string? CommitOverride { get; set; }

    static string? Variable(string name) => System.Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value.Trim() : null;
}
