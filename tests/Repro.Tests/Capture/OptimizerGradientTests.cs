using Repro.Xunit;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Repro.Tests.Capture;

// CapturedStep replays without recording again only while every parameter keeps the gradient tensor
// its backward was recorded into. That holds for optimizers that zero gradients in place; these pin
// it for ReproAdamW and TorchSharp 0.107's own optimizers, so a TorchSharp update that switches
// zero_grad to set_to_none (as PyTorch 2 did) fails here instead of silently re-recording every step.
[Collection(ReproCollection.Name)]
public sealed class OptimizerGradientTests
{
    public static TheoryData<string> Optimizers => ["ReproAdamW", "Adam", "AdamW", "SGD"];

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void Zero_grad_keeps_each_gradient_tensor(string name)
    {
        NativeRuntime.EnsureInitialized();
        using var model = nn.Sequential(("fc", nn.Linear(4, 3)), ("head", nn.Linear(3, 1)));
        using optim.Optimizer optimizer = name switch
        {
            "ReproAdamW" => new ReproAdamW(model, 1e-3),
            "Adam" => optim.Adam(model.parameters(), 1e-3),
            "AdamW" => optim.AdamW(model.parameters(), 1e-3),
            _ => optim.SGD(model.parameters(), 1e-3),
        };
        IntPtr[] Gradients() => [.. model.parameters().Select(p => { using var g = p.grad; return g is null ? IntPtr.Zero : TensorIdentity.ImplOf(g); })];
        void Step()
        {
            using var scope = NewDisposeScope();
            model.call(ones(2, 4)).sum().backward();
            optimizer.step();
            optimizer.zero_grad();
        }

        Step();
        var afterFirst = Gradients();
        Step();
        Step();

        Assert.DoesNotContain(IntPtr.Zero, afterFirst);
        Assert.Equal(afterFirst, Gradients());
    }
}
