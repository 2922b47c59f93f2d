using Repro.Xunit;
using Xunit;
using static TorchSharp.torch;

namespace Repro.Tests.Capture;

// How a step capture mode is chosen and refused, on any machine: Auto captures only on CUDA and only a
// step that can be captured; an explicit request that cannot be honoured is an error that says why.
[Collection(ReproCollection.Name)]
public sealed class StepCaptureModeTests
{
    [Theory]
    [InlineData(null, false, null, false)]
    [InlineData(null, true, null, true)]
    [InlineData("eager", true, null, false)]
    [InlineData("cuda-graph", true, null, true)]
    [InlineData("auto", true, "it reads a loss on the host", false)]
    [InlineData(" Cuda-Graph ", true, null, true)]
    public void Auto_follows_the_variable_the_device_and_the_step(string? variable, bool isCuda, string? eagerBecause, bool expected)
    {
        using var scope = new VariableScope(StepCaptures.Variable, variable);
        Assert.Equal(expected, StepCaptures.UseGraph(StepCapture.Auto, isCuda, eagerBecause));
    }

    [Fact]
    public void An_explicit_request_wins_over_the_variable()
    {
        using var scope = new VariableScope(StepCaptures.Variable, "cuda-graph");
        Assert.False(StepCaptures.UseGraph(StepCapture.Eager, isCuda: true, eagerBecause: null));
    }

    [Fact]
    public void Cuda_graphs_asked_for_on_the_cpu_are_refused_naming_the_fix()
    {
        using var scope = new VariableScope(StepCaptures.Variable, "cuda-graph");
        var error = Assert.Throws<ReproException>(() => StepCaptures.UseGraph(StepCapture.Auto, isCuda: false, eagerBecause: null));
        Assert.Contains("REPRO_STEP_CAPTURE=cuda-graph", error.Message);
        Assert.Contains("--device cuda", error.Message);
    }

    [Fact]
    public void Cuda_graphs_asked_for_a_step_that_cannot_be_captured_are_refused_naming_why()
    {
        var error = Assert.Throws<ReproException>(() => StepCaptures.UseGraph(StepCapture.CudaGraph, isCuda: true, eagerBecause: "mixed precision copies weights on the host"));
        Assert.Contains("StepCapture.CudaGraph", error.Message);
        Assert.Contains("mixed precision copies weights on the host", error.Message);
    }

    [Theory]
    [InlineData("graphs")]
    [InlineData("1")]
    [InlineData("on")]
    public void A_value_the_variable_cannot_take_is_refused_before_any_work(string value)
    {
        using var scope = new VariableScope(StepCaptures.Variable, value);
        var error = Assert.Throws<ReproException>(() => ReproVariables.ValidateAll());
        Assert.Contains($"REPRO_STEP_CAPTURE='{value}'", error.Message);
        Assert.Contains("cuda-graph", error.Message);
    }

    [Fact]
    public void An_undefined_mode_is_refused()
    {
        var error = Assert.Throws<ReproException>(() => StepCaptures.UseGraph((StepCapture)7, isCuda: true, eagerBecause: null));
        Assert.Contains("7", error.Message);
    }

    [Fact]
    public void On_the_cpu_auto_runs_the_step_itself_every_call()
    {
        Repro.Advanced.Determinism.Apply(new DeterminismOptions { Device = DeviceRequest.Cpu });
        using var model = TorchSharp.torch.nn.Linear(3, 2);
        var calls = 0;
        using var step = new CapturedStep(model, batch =>
        {
            calls++;
            return [model.call(batch[0]).sum()];
        });
        using var input = ones(4, 3);
        var first = step.Run(input)[0].item<float>();
        var second = step.Run(input)[0].item<float>();
        Assert.False(step.UsesCudaGraph);
        Assert.Equal(2, calls);
        Assert.Equal(first, second);
        Assert.Equal(0, step.Replays);
    }

    [Fact]
    public void A_check_on_the_cpu_reports_that_its_steps_ran_eagerly()
    {
        var run = Trainer.TrainRun(DualTaskConfig.Small with { Epochs = 1 });
        Assert.Equal($"eager ({run.Fingerprint.OptimizerSteps} steps)", run.Steps);
    }
}
