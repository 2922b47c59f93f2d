using Xunit;

namespace Repro.Packaging.Tests.Ci;

// .ci/lint-workflows (actionlint, run by .ci/run and by the workflow's lint job) passes the committed
// workflow and fails broken ones, naming the line and the reason.
public sealed class WorkflowLintTests
{
    static readonly string Script = Path.Combine(RepoPaths.Root, ".ci", "lint-workflows");

    static readonly Lazy<bool> NodeAvailable = new(() =>
    {
        try { return ChildProcess.Run("node", ["--version"]).ExitCode == 0; }
        catch (System.ComponentModel.Win32Exception) { return false; }
    });

    static (int ExitCode, string Output) Lint(params string[] files)
    {
        Assert.SkipUnless(NodeAvailable.Value, "Node.js is not on PATH; .ci/run needs it for the workflow lint");
        return ChildProcess.Run("bash", [Script, .. files]);
    }

    [Fact]
    public void The_committed_workflows_pass_actionlint()
    {
        var (exitCode, output) = Lint();

        Assert.True(exitCode == 0, output);
        Assert.Contains("no findings", output);
    }

    [Fact]
    public void A_workflow_with_an_undefined_matrix_property_and_a_misspelt_action_input_fails_with_line_and_reason()
    {
        var text = File.ReadAllText(Workflow.File);
        var broken = Replace(Replace(text, "name: gpu (${{ matrix.key }})", "name: gpu (${{ matrix.gpu-key }})"),
            "          if-no-files-found: ignore\n          retention-days: 14\n\n  gpu:", "          if-no-file-found: ignore\n          retention-days: 14\n\n  gpu:");
        using var file = new TempWorkflow(broken);
        var line = broken.Split('\n').ToList().FindIndex(l => l.Contains("matrix.gpu-key", StringComparison.Ordinal)) + 1;

        var (exitCode, output) = Lint(file.Path);

        Assert.True(exitCode == 1, output);
        Assert.Contains($"{file.Path}:{line}:", output);
        Assert.Contains("property \"gpu-key\" is not defined", output);
        Assert.Contains("input \"if-no-file-found\" is not defined in action \"actions/upload-artifact@v4\"", output);
    }

    [Fact]
    public void A_workflow_that_is_not_valid_YAML_fails()
    {
        using var file = new TempWorkflow("name: broken\non: push\njobs:\n  cpu:\n    runs-on: [ubuntu-24.04\n    steps:\n      - run: echo\n");

        var (exitCode, output) = Lint(file.Path);

        Assert.True(exitCode == 1, output);
        Assert.Contains(file.Path + ":", output);
    }

    [Fact]
    public void A_missing_workflow_file_is_a_setup_error_never_a_pass()
    {
        var (exitCode, output) = Lint(Path.Combine(Path.GetTempPath(), "no-such-workflow-" + Guid.NewGuid().ToString("N") + ".yml"));

        Assert.True(exitCode == 2, output);
        Assert.Contains("cannot read", output);
    }

    static string Replace(string text, string old, string replacement)
    {
        Assert.True(text.Contains(old, StringComparison.Ordinal), $"the workflow no longer contains '{old}'; update this test's mutation");
        return text.Replace(old, replacement, StringComparison.Ordinal);
    }

    sealed class TempWorkflow : IDisposable
    {
        internal TempWorkflow(string text)
        {
            Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"repro-workflow-{Guid.NewGuid():N}.yml");
            File.WriteAllText(Path, text);
        }

        internal string Path { get; }

        public void Dispose() => File.Delete(Path);
    }
}
