using TorchSharp;

namespace Repro.Advanced;

/// <summary>
/// Receives each stage's output during a traced forward pass (the doctor's divergence search).
/// The model checks for null before calling, so an untraced run pays one branch per stage.
/// </summary>
public interface IForwardTrace
{
    void Record(string stage, torch.Tensor output);
}
