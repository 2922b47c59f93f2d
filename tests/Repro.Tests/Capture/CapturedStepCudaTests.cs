using Repro.Xunit;
using TorchSharp;
using Xunit;
using Repro.Tests.Doctor;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Repro.Tests.Capture;

// The acceptance of CUDA graph capture: a replayed step gives the eager step's bits - parameters,
// BatchNorm statistics, dropout draws and losses - for a user's model on the public API and for the
// DualTask chapter check, across input shapes and re-recordings.
[Collection(ReproCollection.Name)]
public sealed class CapturedStepCudaTests
{
    const int Epochs = 3;
    static readonly int[] Batches = [32, 32, 32, 16];

    [GpuFact(DisplayName = "CUDA graphs: a user model's replayed steps give the eager steps' bits, one graph per input shape")]
    public void Replayed_steps_give_the_eager_bits()
    {
        var eager = Train(StepCapture.Eager, replaceGradientAt: null);
        var graph = Train(StepCapture.CudaGraph, replaceGradientAt: null);
        Assert.Equal(eager.State, graph.State);
        Assert.Equal(eager.Losses, graph.Losses);
        // One warm-up per shape runs eagerly; every other step replays, and each shape is recorded once.
        Assert.Equal(2, graph.Captures);
        Assert.Equal(Epochs * Batches.Length - 2, graph.Replays);
    }

    [GpuFact(DisplayName = "CUDA graphs: a step recorded before a gradient tensor was replaced is recorded again, with the eager bits")]
    public void A_replaced_gradient_is_recorded_again()
    {
        var eager = Train(StepCapture.Eager, replaceGradientAt: 6);
        var graph = Train(StepCapture.CudaGraph, replaceGradientAt: 6);
        Assert.Equal(eager.State, graph.State);
        Assert.Equal(eager.Losses, graph.Losses);
        Assert.True(graph.Captures > 2, $"{graph.Captures} captures: the replaced gradient did not make the step record again");
    }

    [GpuFact(DisplayName = "CUDA graphs: the chapter check trained with graphs (the CUDA default) matches the eager training bit for bit")]
    public void Chapter_with_graphs_matches_eager()
    {
        var config = DualTaskConfig.Chapter with { Epochs = 2, Determinism = DualTaskConfig.Chapter.Determinism with { Device = DeviceRequest.Cuda } };
        string eager;
        using (new VariableScope(StepCaptures.Variable, "eager"))
            eager = ReproJson.Serialize(Trainer.Train(config));
        var check = new DualTaskCheck(config);
        string graph, steps;
        using (var result = TrainingHarness.Run(check))
        {
            graph = ReproJson.Serialize(result.Fingerprint);
            steps = result.Run.Steps ?? "not reported";
        }
        Assert.Equal(eager, graph);
        Assert.True(check.CapturedStep is { UsesCudaGraph: true, Replays: > 0 }, "the chapter check did not replay a CUDA graph on CUDA");
        Assert.StartsWith("CUDA graphs (", steps);
    }

    sealed record Trained(string[] State, float[] Losses, int Captures, long Replays);

    // A BatchNorm + dropout MLP with ReproAdamW (flat), batches of two shapes; optionally replaces one
    // parameter's gradient tensor before step `replaceGradientAt`, in both modes alike.
    static Trained Train(StepCapture capture, int? replaceGradientAt)
    {
        Repro.Advanced.Determinism.Apply(new DeterminismOptions { Device = DeviceRequest.Cuda });
        Repro.Advanced.Determinism.Reseed(11);
        using var model = Sequential(("fc", Linear(8, 64)), ("norm", BatchNorm1d(64)), ("act", ReLU()), ("drop", Dropout(0.25)), ("head", Linear(64, 1)));
        model.to(CUDA);
        model.train();
        using var optimizer = new ReproAdamW(model, 1e-2, 1e-4);
        using var step = new CapturedStep(model, batch =>
        {
            var loss = functional.mse_loss(model.call(batch[0]), batch[1]);
            loss.backward();
            return [loss];
        }, capture);
        var generator = new Generator(5);
        var losses = new List<float>();
        var index = 0;
        for (var epoch = 0; epoch < Epochs; epoch++)
            foreach (var size in Batches)
            {
                using var scope = NewDisposeScope();
                var x = randn([size, 8], generator: generator).to(CUDA);
                var y = randn([size, 1], generator: generator).to(CUDA);
                if (index++ == replaceGradientAt)
                {
                    var first = model.parameters().First();
                    first.grad = zeros_like(first).DetachFromDisposeScope();
                }
                var loss = step.Run(x, y)[0];
                losses.Add(loss.cpu().item<float>());
                optimizer.step();
                optimizer.zero_grad();
            }
        var state = model.state_dict().Select(p => p.Key + "=" + TensorHasher.Hash(p.Value)).ToArray();
        return new Trained(state, [.. losses], step.Captures, step.Replays);
    }
}
