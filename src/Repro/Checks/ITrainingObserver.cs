using static TorchSharp.torch;

namespace Repro;

/// <summary>
/// Optional per-step view into training, for the doctor's divergence search. The harness calls it only
/// when one is given, so ordinary runs pay nothing.
/// </summary>
internal interface ITrainingObserver
{
    /// <summary>Before the forward pass: the sample indices of this batch.</summary>
    void OnBatch(int epoch, long step, ReadOnlySpan<int> indices);

    /// <summary>Receives each stage's output during this step's forward pass; null to skip.</summary>
    IForwardTrace? ForwardTrace { get; }

    /// <summary>A module of the model finished its forward pass (forward hooks on every submodule).</summary>
    void OnModule(string module, string inputHash, string outputHash);

    /// <summary>After backward, before the optimizer step.</summary>
    void OnGradients(long step, IReadOnlyList<(string Name, Tensor Gradient)> gradients);

    /// <summary>After the optimizer step.</summary>
    void OnUpdate(long step, IReadOnlyList<(string Name, Tensor Parameter)> parameters);
}
