using static TorchSharp.torch;

namespace Repro;

// The optimizer's part of a checkpoint. ReproAdamW stores its moments as named tensors and its step
// count in the manifest; TorchSharp's own optimizers (SGD, Adam, AdamW, Adagrad, Adadelta, Adamax,
// ASGD, NAdam, RAdam, RMSProp, Rprop: every OptimizerHelper) store TorchSharp's state_dict
// serialisation (options, step counts and every state tensor, bit for bit) as one U8 tensor.
internal static class OptimizerCheckpoint
{
    internal const string Prefix = "optimizer.";
    const string TorchSharpState = Prefix + "torchsharp-state";

    internal static string Kind(TrainingCheck check, optim.Optimizer optimizer) => optimizer switch
    {
        ReproAdamW => "ReproAdamW",
        TorchSharp.Modules.OptimizerHelper helper => "TorchSharp." + helper.GetType().Name,
        _ => throw new ReproException(
            $"The check '{check.Name}' trains with {optimizer.GetType().FullName}, whose state a checkpoint cannot read: TorchSharp exposes no state of optimizers outside OptimizerHelper (e.g. " +
                "LBFGS). " +
            "Use ReproAdamW or one of TorchSharp's SGD, Adam, AdamW, Adagrad, Adadelta, Adamax, ASGD, NAdam, RAdam, RMSProp, Rprop to checkpoint this training, or train it without checkpoints."),
    };

    internal static IEnumerable<SafeTensor> Capture(TrainingCheck check, optim.Optimizer optimizer)
    {
        switch (optimizer)
        {
            case ReproAdamW repro:
                return [.. repro.State().Select(s => TensorBytes.ToSafeTensor(Prefix + s.Name, s.Tensor))];
            case TorchSharp.Modules.OptimizerHelper helper:
                using (var stream = new MemoryStream())
                {
                    try
                    {
                        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
                            helper.save_state_dict(writer);
                    }
                    catch (Exception ex) when (ex is not ReproException)
                    {
                        throw new ReproException($"The optimizer {helper.GetType().FullName} of check '{check.Name}' could not write its state (save_state_dict: {ex.Message}); " +
                            "it cannot be checkpointed.", ex);
                    }
                    var bytes = stream.ToArray();
                    return [new SafeTensor(TorchSharpState, "U8", [bytes.LongLength], bytes)];
                }
            default:
                _ = Kind(check, optimizer);
                return [];
        }
    }

    internal static void Restore(TrainingCheck check, optim.Optimizer optimizer, IReadOnlyDictionary<string, SafeTensor> tensors, long reproAdamWSteps)
    {
        switch (optimizer)
        {
            case ReproAdamW repro:
                repro.Restore(reproAdamWSteps, (name, destination) =>
                    TensorBytes.CopyInto(Find(tensors, Prefix + name), destination, $"optimizer state '{name}'"));
                break;
            case TorchSharp.Modules.OptimizerHelper helper:
                using (var stream = new MemoryStream(Find(tensors, TorchSharpState).Data, writable: false))
                using (var reader = new BinaryReader(stream))
                {
                    try
                    {
                        helper.load_state_dict(reader);
                    }
                    catch (Exception ex) when (ex is ArgumentException or InvalidDataException or EndOfStreamException)
                    {
                        throw new ReproException($"The checkpoint's optimizer state does not fit the {helper.GetType().Name} of check '{check.Name}' ({ex.Message}): " +
                            "the model or optimizer changed since the checkpoint was written.", ex);
                    }
                }
                break;
        }
    }

    static SafeTensor Find(IReadOnlyDictionary<string, SafeTensor> tensors, string name) => tensors.TryGetValue(name, out var tensor) ? tensor
        : throw new ReproException($"The checkpoint holds no '{name}': it was written with another optimizer or model.");
}
