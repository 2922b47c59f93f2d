namespace Repro.Baselines;

/// <summary>
/// Where a received run was produced when it was produced on CI: the CI system, its run (id and
/// address), the job, the commit that was built and the machine (runner) that trained it. Written into
/// every received file on CI and carried into the baseline that approves it, so a reviewer who
/// accepts numbers from CI artifacts can always tell which run they came from.
/// </summary>
public sealed record RunOrigin(string Ci, string? RunId, string? RunUrl, string? Job, string? Commit, string? Machine)
{
    /// <summary>The origin of this process's runs, or null when not on CI (a workstation's run needs none).</summary>
    public static RunOrigin? Capture(Func<string, string?>? getVariable = null)
    {
        var fromProcess = getVariable is null;
        getVariable ??= System.Environment.GetEnvironmentVariable;
        if (CiDetector.Detect(getVariable) is not { } marker) return null;
        string? V(string name) => getVariable(name) is { Length: > 0 } value ? value.Trim() : null;
        // REPRO_COMMIT wins everywhere, as in the approval record: a build may check out a merge commit.
        var commit = fromProcess ? ReproSettings.Commit : V(ReproSettings.CommitVariable);
        var machine = System.Environment.MachineName;
        if (V("GITHUB_ACTIONS") is not null)
        {
            var runId = V("GITHUB_RUN_ID");
            var attempt = V("GITHUB_RUN_ATTEMPT");
            var url = V("GITHUB_SERVER_URL") is { } server && V("GITHUB_REPOSITORY") is { } repository && runId is not null
                ? $"{server}/{repository}/actions/runs/{runId}" + (attempt is null ? "" : $"/attempts/{attempt}")
                : null;
            return new RunOrigin("github-actions", runId, url, V("GITHUB_JOB"), commit ?? V("GITHUB_SHA"), V("RUNNER_NAME") ?? machine);
        }
        if (V("GITLAB_CI") is not null)
            return new RunOrigin("gitlab", V("CI_PIPELINE_ID"), V("CI_JOB_URL") ?? V("CI_PIPELINE_URL"), V("CI_JOB_NAME"), commit ?? V("CI_COMMIT_SHA"), V("CI_RUNNER_DESCRIPTION") ?? machine);
        if (V("TF_BUILD") is not null)
        {
            var buildId = V("BUILD_BUILDID");
            var url = V("SYSTEM_COLLECTIONURI") is { } collection && V("SYSTEM_TEAMPROJECT") is { } project && buildId is not null
                ? $"{collection.TrimEnd('/')}/{Uri.EscapeDataString(project)}/_build/results?buildId={buildId}"
                : null;
            return new RunOrigin("azure-pipelines", buildId, url, V("SYSTEM_JOBDISPLAYNAME") ?? V("SYSTEM_JOBNAME"), commit ?? V("BUILD_SOURCEVERSION"), V("AGENT_NAME") ?? machine);
        }
        // Another CI system: the variable that marked it, and whatever it tells through REPRO_COMMIT.
        return new RunOrigin(marker[..marker.IndexOf('=')].ToLowerInvariant(), null, null, null, commit, machine);
    }

    /// <summary>One line for people: "github-actions run 123 (job gpu, commit 1a2b3c4d, machine gpu-01)".</summary>
    public override string ToString()
    {
        var details = new List<string>();
        if (Job is not null) details.Add("job " + Job);
        if (Commit is not null) details.Add("commit " + (Commit.Length > 12 ? Commit[..12] : Commit));
        if (Machine is not null) details.Add("machine " + Machine);
        return $"{Ci}{(RunId is null ? "" : " run " + RunId)}{(details.Count == 0 ? "" : " (" + string.Join(", ", details) + ")")}";
    }
}
