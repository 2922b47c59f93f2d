using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Repro.DualTask;

// The chapter's adaptive multi-task normalised loss: each task's loss divided by its own detached
// value, so both tasks contribute gradients of equal scale whatever their units.
internal static class AmnlLoss
{
    internal static (Tensor Total, Tensor Rul, Tensor Health) Compute(Tensor rulPrediction, Tensor rulTarget, Tensor healthLogits, Tensor healthTarget)
    {
        var rul = mse_loss(rulPrediction, rulTarget);
        var health = cross_entropy(healthLogits, healthTarget);
        var total = 0.5 * rul / rul.detach() + 0.5 * health / health.detach();
        return (total, rul, health);
    }
}
