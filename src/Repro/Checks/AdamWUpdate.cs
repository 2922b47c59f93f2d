using static TorchSharp.torch;

namespace Repro;

// ReproAdamW's update of one parameter tensor, op for op as PyTorch's single-tensor AdamW. The
// per-tensor and the flat path both call this, so they run the same operations on every element.
internal static class AdamWUpdate
{
    internal const double Beta1 = 0.9, Beta2 = 0.999, Epsilon = 1e-8;

    internal static void Apply(Tensor parameter, Tensor grad, Tensor expAvg, Tensor expAvgSq, double learningRate, double weightDecay, long step)
    {
        var biasCorrection1 = 1 - Math.Pow(Beta1, step);
        var biasCorrection2Sqrt = Math.Sqrt(1 - Math.Pow(Beta2, step));
        var stepSize = learningRate / biasCorrection1;
        parameter.mul_(1 - learningRate * weightDecay);
        expAvg.lerp_(grad, 1 - Beta1);
        expAvgSq.mul_(Beta2).addcmul_(grad, grad, 1 - Beta2);
        var denominator = (expAvgSq.sqrt() / biasCorrection2Sqrt).add_(Epsilon);
        parameter.addcdiv_(expAvg, denominator, -stepSize);
    }
}
