using Xunit;
using YamlDotNet.RepresentationModel;
using static Repro.Packaging.Tests.Ci.Workflow;

namespace Repro.Packaging.Tests.Ci;

// What the workflow must do, read from the file itself: the README's test command on the CPU, the CUDA
// tests on one runner per committed GPU key, and from every test job its received files as an artifact
// and a step summary. actionlint (WorkflowLintTests) checks that it is valid; this checks that it is ours.
public sealed class WorkflowShapeTests
{
    [Fact]
    public void The_cpu_job_runs_on_every_push_the_test_command_the_README_gives_for_CI()
    {
        var workflow = Load();
        var readme = System.IO.File.ReadAllLines(Path.Combine(RepoPaths.Root, "README.md"));
        var line = readme.SingleOrDefault(l => l.Contains("(what CI runs)", StringComparison.Ordinal))
            ?? throw new global::Xunit.Sdk.XunitException("README.md no longer marks its CI test command with '(what CI runs)'; keep the mark on the command the workflow's cpu job runs.");
        var command = line[..line.IndexOf('#')].Trim();

        Assert.True(workflow.Root.Children.ContainsKey(new YamlScalarNode("on")));
        Assert.Contains("push", Map(workflow.Root, "on").Children.Keys.Select(k => k.ToString()));
        Assert.Contains(command, Steps(workflow.Job("cpu")).Select(s => Text(s, "run")));
    }

    [Fact]
    public void The_gpu_matrix_has_one_self_hosted_entry_per_committed_cuda_key_and_runs_the_GPU_category()
    {
        var workflow = Load();
        var gpu = workflow.Job("gpu");
        var entries = ((YamlSequenceNode)Map(Map(gpu, "strategy"), "matrix").Children[new YamlScalarNode("include")]).Children.Cast<YamlMappingNode>().ToList();
        var keys = entries.Select(e => Text(e, "key")!).ToList();
        var committed = Directory.EnumerateDirectories(Path.Combine(RepoPaths.Root, "snapshots"), "cuda-*", SearchOption.AllDirectories)
            .Select(d => Path.GetRelativePath(Path.Combine(RepoPaths.Root, "snapshots"), d).Replace('\\', '/')).ToList();

        Assert.NotEmpty(committed);
        Assert.All(committed, key => Assert.Contains(key, keys));
        Assert.All(keys, key => Assert.Equal(key, EnvironmentKey.Validate(key)));
        Assert.Equal(keys.Count, keys.Distinct().Count());
        var artifacts = entries.Select(e => Text(e, "artifact")!).ToList();
        Assert.Equal(artifacts.Count, artifacts.Distinct().Count());
        Assert.All(artifacts, a => Assert.Matches("^[a-z0-9.-]+$", a));
        Assert.All(entries, e => Assert.Contains("self-hosted", ((YamlSequenceNode)e.Children[new YamlScalarNode("runs-on")]).Children.Select(l => l.ToString())));
        Assert.Equal("${{ matrix.runs-on }}", Text(gpu, "runs-on"));
        Assert.Contains(Steps(gpu), s => Text(s, "run") is { } run && run.Contains("--filter \"Category=GPU\"", StringComparison.Ordinal) && run.Contains("-p:ReproBackend=cuda", StringComparison.Ordinal));
        // GPU tests skip without a GPU: a step before them must fail when this runner is not the machine of its key.
        var steps = Steps(gpu).Select(s => Text(s, "run") ?? "").ToList();
        var guard = steps.FindIndex(r => r.Contains("env --device cuda --json", StringComparison.Ordinal) && r.Contains("EXPECTED_KEY", StringComparison.Ordinal));
        Assert.InRange(guard, 0, steps.FindIndex(r => r.Contains("Category=GPU", StringComparison.Ordinal)) - 1);
    }

    [Theory]
    [InlineData("cpu")]
    [InlineData("gpu")]
    public void Every_test_job_uploads_its_received_files_and_writes_a_step_summary_even_when_tests_fail(string job)
    {
        var steps = Steps(Load().Job(job));

        var upload = Assert.Single(steps, s => Text(s, "uses")?.StartsWith("actions/upload-artifact@", StringComparison.Ordinal) == true);
        Assert.Equal("always()", Text(upload, "if"));
        Assert.Contains("snapshots/**/*.received.*", Text(Map(upload, "with"), "path"));
        var summary = Assert.Single(steps, s => Text(s, "run")?.Contains(".ci/step-summary \"$GITHUB_STEP_SUMMARY\"", StringComparison.Ordinal) == true);
        Assert.Equal("always()", Text(summary, "if"));
    }

    [Fact]
    public void The_workflow_lints_itself()
    {
        Assert.Contains(Steps(Load().Job("lint")), s => Text(s, "run") == "bash .ci/lint-workflows");
    }
}
