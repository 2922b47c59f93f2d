using Repro.Xunit;
using Xunit;
using Repro.Tests.Environments;

namespace Repro.Tests.Capture;

// The CLI side of step capture on a machine without a GPU: CUDA graphs asked for on the CPU are exit
// 4 before anything trains, and a run says how its steps ran.
[Collection(ReproCollection.Name)]
public sealed class StepCaptureCliTests
{
    [Fact]
    public void Cuda_graphs_required_on_a_cpu_run_are_exit_4_before_training()
    {
        Assert.SkipWhen(GpuAvailability.IsAvailable, "this machine has a GPU, so REPRO_STEP_CAPTURE=cuda-graph is satisfiable here");
        using var workspace = new CliWorkspace();
        using var variable = new VariableScope(StepCaptures.Variable, "cuda-graph");
        var config = TinyInputs.Write(workspace.Root, "tiny.json", ReproJson.Serialize(TinyInputs.Config));

        var result = CliRun.Invoke("check", "--config", config, "--snapshots", workspace.Snapshots, "--test", "capture-case");

        Assert.True(result.ExitCode == 4, result.ToString());
        Assert.Contains("REPRO_STEP_CAPTURE=cuda-graph asks for CUDA graphs, but this run is on the CPU", result.Error);
        Assert.DoesNotContain("Training", result.Out);
        Assert.False(Directory.Exists(workspace.Snapshots), result.ToString());
    }

    [Fact]
    public void A_run_says_how_its_steps_ran()
    {
        using var workspace = new CliWorkspace();
        using var variable = new VariableScope(StepCaptures.Variable, "eager");
        var config = TinyInputs.Write(workspace.Root, "tiny.json", ReproJson.Serialize(TinyInputs.Config));

        var result = CliRun.Invoke("run", "--config", config);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Matches(@"Steps: eager \(\d+ steps\)", result.Out);
    }
}
