using static TorchSharp.torch;

namespace Repro;

// The optimizer-state hash: Repro's own optimizers name their tensors (moments per parameter plus
// the step count, the definition schema 1 baselines use); any other TorchSharp optimizer is hashed
// through its own state_dict serialisation, which holds every state tensor and option.
internal static class OptimizerFingerprint
{
    internal static string Hash(optim.Optimizer optimizer, long steps, string kind = TensorHashKinds.Current)
    {
        switch (optimizer)
        {
            case ReproAdamW repro:
                using (var count = tensor(repro.Steps))
                    return ModelFingerprint.HashNamed(repro.State().Append(("steps", count)), kind);
            case TorchSharp.Modules.OptimizerHelper helper:
                using (var stream = new MemoryStream())
                {
                    using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
                        helper.save_state_dict(writer);
                    return TensorHasher.HashBytes(stream.ToArray());
                }
            default:
                return "steps:" + steps.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }
}
