using static TorchSharp.torch;

namespace Repro.DualTask;

public sealed partial class DualTaskCheck
{
    /// <inheritdoc />
    protected override void SaveState(CheckpointState state)
    {
        _ema?.Save(state, "ema.");
        _best.Save(state, "best.");
        _mixed?.Save(state, "mixed-grad.");
    }

    /// <inheritdoc />
    protected override void LoadState(CheckpointState state)
    {
        _ema?.Load(state, "ema.");
        _best.Load(state, "best.");
        _mixed?.Load(state, "mixed-grad.");
        ReplayCudnnDropoutState(state.Training);
    }

    // cuDNN keeps the dropout state of a multi-layer LSTM on the GPU, outside torch's generators: it is
    // seeded from the CUDA generator by the first training-mode LSTM call after a reseed, then advanced
    // by every such call by an amount that depends on the shapes alone. A resumed run rebuilds it by
    // replaying the forward passes of the steps before the checkpoint on zeros, starting from the
    // generator state the uninterrupted run had at its first step (the harness reseeds as it did, and
    // nothing has drawn since); the harness restores the generators afterwards, where the checkpoint was
    // taken. On the CPU the LSTM's dropout draws from the CPU generator, which the checkpoint holds.
    void ReplayCudnnDropoutState(TrainingContext context)
    {
        if (!context.Runtime.IsCuda || Config.Model.LstmLayers < 2 || Config.Model.Dropout == 0 || context.Steps == 0) return;
        var forward = _mixed?.Prepare() ?? _model!;
        var train = _data!.Train;
        var batches = (train.Count + Config.BatchSize - 1) / Config.BatchSize;
        using var noGrad = no_grad();
        // The replay must not move the BatchNorm running statistics the checkpoint restored.
        var buffers = forward.named_buffers().Select(b => (Buffer: b.buffer, Saved: b.buffer.clone().DetachFromDisposeScope())).ToList();
        try
        {
            forward.train();
            for (long step = 0; step < context.Steps; step++)
            {
                using var scope = NewDisposeScope();
                var index = (int)(step % batches);
                var size = Math.Min(Config.BatchSize, train.Count - index * Config.BatchSize);
                var inputs = zeros([size, train.WindowLength, train.Channels], device: context.Device);
                forward.call(_mixed is null ? inputs : inputs.to(ScalarType.BFloat16));
            }
        }
        finally
        {
            foreach (var (buffer, saved) in buffers)
            {
                buffer.copy_(saved);
                saved.Dispose();
            }
        }
    }
}
