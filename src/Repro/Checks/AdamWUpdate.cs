using TorchSharp;
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
        // Scalars and tensors held to the end: an implicit temporary can be finalised while libtorch still reads it
        // (TorchSharp 0.107 passes its handle without keeping it alive).
        using var decay = (1 - learningRate * weightDecay).ToScalar();
        // lerp_ takes its weight as a tensor: the same 0-dim double tensor the implicit conversion makes.
        using Tensor oneMinusBeta1 = 1 - Beta1;
        using var beta2 = Beta2.ToScalar();
        using var oneMinusBeta2 = (1 - Beta2).ToScalar();
        using var correction2 = biasCorrection2Sqrt.ToScalar();
        using var epsilon = Epsilon.ToScalar();
        using var negativeStep = (-stepSize).ToScalar();
        parameter.mul_(decay);
        expAvg.lerp_(grad, oneMinusBeta1);
        expAvgSq.mul_(beta2).addcmul_(grad, grad, oneMinusBeta2);
        using var denominator = PortableSqrt.Of(expAvgSq);
        denominator.div_(correction2).add_(epsilon);
        parameter.addcdiv_(expAvg, denominator, negativeStep);
    }
}
