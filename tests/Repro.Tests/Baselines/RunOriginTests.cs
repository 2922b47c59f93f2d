using Xunit;

namespace Repro.Tests.Baselines;

public sealed class RunOriginTests
{
    static Func<string, string?> Variables(params (string Name, string Value)[] values) =>
        name => values.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public void On_a_workstation_no_origin_is_recorded()
    {
        Assert.Null(RunOrigin.Capture(Variables(("HOME", "/root"))));
    }

    [Fact]
    public void GitHub_Actions_gives_the_run_its_address_the_job_the_commit_and_the_runner()
    {
        var origin = RunOrigin.Capture(Variables(("GITHUB_ACTIONS", "true"), ("GITHUB_RUN_ID", "912"), ("GITHUB_RUN_ATTEMPT", "2"),
            ("GITHUB_SERVER_URL", "https://github.example"), ("GITHUB_REPOSITORY", "team/repro"), ("GITHUB_JOB", "gpu"),
            ("GITHUB_SHA", "abc123"), ("RUNNER_NAME", "h100-runner-3")))!;

        Assert.Equal(new RunOrigin("github-actions", "912", "https://github.example/team/repro/actions/runs/912/attempts/2", "gpu", "abc123", "h100-runner-3"), origin);
        Assert.Equal("github-actions run 912 (job gpu, commit abc123, machine h100-runner-3)", origin.ToString());
    }

    [Fact]
    public void GitLab_and_Azure_Pipelines_give_their_own_ids_and_REPRO_COMMIT_wins_over_the_systems_commit()
    {
        var gitlab = RunOrigin.Capture(Variables(("GITLAB_CI", "true"), ("CI_PIPELINE_ID", "77"), ("CI_JOB_URL", "https://gitlab.example/j/5"),
            ("CI_JOB_NAME", "gpu: [h200]"), ("CI_COMMIT_SHA", "def456"), ("CI_RUNNER_DESCRIPTION", "h200-a"), ("REPRO_COMMIT", "fedcba")))!;
        var azure = RunOrigin.Capture(Variables(("TF_BUILD", "True"), ("BUILD_BUILDID", "31"), ("SYSTEM_COLLECTIONURI", "https://dev.example/org/"),
            ("SYSTEM_TEAMPROJECT", "Repro Team"), ("SYSTEM_JOBDISPLAYNAME", "gpu h100"), ("BUILD_SOURCEVERSION", "0a0b"), ("AGENT_NAME", "agent-7")))!;

        Assert.Equal(new RunOrigin("gitlab", "77", "https://gitlab.example/j/5", "gpu: [h200]", "fedcba", "h200-a"), gitlab);
        Assert.Equal(new RunOrigin("azure-pipelines", "31", "https://dev.example/org/Repro%20Team/_build/results?buildId=31", "gpu h100", "0a0b", "agent-7"), azure);
    }
}
