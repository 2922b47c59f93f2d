using System.Globalization;

namespace Repro;

/// <summary>The first piece of state that moved between a baseline's run and this one, in pipeline order.</summary>
/// <param name="Piece">"data", "initial-weights", "generator", "order", "consumed-order" (the order the steps trained, where not the planned one), "weights" or "optimizer".</param>
/// <param name="Epoch">The epoch it moved in (at its start for generator and order, at its end for weights and optimizer); null before training.</param>
/// <param name="Stage">The data stage, for a data piece.</param>
/// <param name="Summary">What moved and what stayed identical before it, e.g. "weights identical after epoch 1, generator state differs at the start of epoch 2" (on CUDA, "... CUDA generator state differs ..." when only the GPU generator moved).</param>
/// <param name="Meaning">What that means for where the change is.</param>
/// <param name="SameItemsReordered">The data stage holds the same items as the baseline's, in another order.</param>
internal sealed record MovedState(string Piece, int? Epoch, string? Stage, string Summary, string Meaning, bool SameItemsReordered = false)
{
    /// <summary>Summary and meaning in one sentence, for people.</summary>
    public string Description => $"{Summary}: {Meaning}";
}

// Walks two compact traces in the order state flows through a training - data stages, initial
// weights, then per epoch the generators (CPU, then CUDA) and order at its start and the weights and optimizer at its
// end - and names the first piece that differs, with the evidence of what stayed identical before it.
internal static class TraceComparison
{
    internal static MovedState? FirstMoved(TrainingFingerprint baseline, TrainingFingerprint current)
    {
        if (baseline.Trace is not { } before || current.Trace is not { } now) return null;

        var identicalStages = new List<string>();
        foreach (var stage in before.Data)
        {
            var other = now.Data.FirstOrDefault(d => d.Stage == stage.Stage);
            if (other is null)
                return new MovedState("data", null, stage.Stage, $"the data stage '{stage.Stage}' is missing", "the data pipeline changed");
            if (other.Hash == stage.Hash) { identicalStages.Add(stage.Stage); continue; }
            var upstream = identicalStages.Count == 0 ? "" : $" ({string.Join(", ", identicalStages.Select(s => $"'{s}'"))} identical before it)";
            if (stage.ItemSetHash is not null && stage.ItemSetHash == other.ItemSetHash)
                return new MovedState("data", null, stage.Stage, $"the data stage '{stage.Stage}' holds the same items in another order{upstream}",
                    "an enumeration order (files of a directory, a hash set or dictionary) reached the data; sort the items by a stable key", SameItemsReordered: true);
            var count = other.Count == stage.Count ? "" : $", with {other.Count} values instead of {stage.Count}";
            return new MovedState("data", null, stage.Stage, $"the data stage '{stage.Stage}' moved first{upstream}{count}", "the change is in the code or input that produces that stage");
        }
        if (baseline.DataHash != current.DataHash)
            return new MovedState("data", null, null, "the data moved" + (identicalStages.Count > 0 ? $" after its recorded stages ({string.Join(", ", identicalStages)}) matched" : ""), "a data or preprocessing change");
        var initial = current.HashesIn(baseline.EffectiveHashKind)?.InitialModelHash;
        if (initial is not null && baseline.InitialModelHash != initial)
            return new MovedState("initial-weights", null, null, "the data is identical but the initial weights moved", "model construction, its initialisation or the seed changed");
        // The per-epoch digests hash tensors under the run's own definition; under another one only the batch orders compare.
        var sameKind = baseline.EffectiveHashKind == current.EffectiveHashKind;

        var epochs = Math.Min(before.Epochs.Count, now.Epochs.Count);
        for (var e = 0; e < epochs; e++)
        {
            var (a, b) = (before.Epochs[e], now.Epochs[e]);
            var epoch = I(a.Epoch);
            var previous = e == 0 ? "data and initial weights identical" : $"weights identical after epoch {I(before.Epochs[e - 1].Epoch)}";
            if (sameKind && a.GeneratorAtStart != b.GeneratorAtStart)
                return e == 0
                    ? new MovedState("generator", a.Epoch, null, $"{previous}, generator state differs at the start of epoch 1",
                        "something between the harness's re-seed and the first step drew random numbers (CreateOptimizer), or the training seed changed")
                    : new MovedState("generator", a.Epoch, null, $"{previous}, generator state differs at the start of epoch {epoch}",
                        "something drew random numbers between epochs or without changing the weights (evaluation, logging, metrics, a draw after the last step)");
            if (sameKind && a.CudaGeneratorAtStart is { } cuda && b.CudaGeneratorAtStart is { } other && cuda != other)
                return new MovedState("generator", a.Epoch, null, $"{previous} and CPU generator identical, CUDA generator state differs at the start of epoch {epoch}",
                    e == 0
                        ? "something between the harness's re-seed and the first step drew random numbers on the GPU (CreateOptimizer, torch.rand on cuda), or the training seed changed"
                        : "something drew random numbers on the GPU between epochs or without changing the weights (evaluation, logging, metrics: torch.rand on cuda, dropout left on)");
            if (baseline.Epochs.Count > e && current.Epochs.Count > e && baseline.Epochs[e].BatchOrderHash != current.Epochs[e].BatchOrderHash)
                return new MovedState("order", a.Epoch, null, $"{previous} and generator state identical at the start of epoch {epoch}, batch order differs",
                    "the order code, the sample count or the order's seed changed");
            // Recorded only where the steps did not consume the planned order; absent on both sides is the planned order.
            if (baseline.Epochs.Count > e && current.Epochs.Count > e && baseline.Epochs[e].ConsumedOrderHash != current.Epochs[e].ConsumedOrderHash)
                return new MovedState("consumed-order", a.Epoch, null, $"{previous}, generator state and planned batch order identical at the start of epoch {epoch}, " +
                    "but the steps consumed their samples in another order",
                    "the batches were trained in completion order (tasks, Parallel.ForEach, a ConcurrentBag or ConcurrentQueue), not in the planned order; collect them by index");
            if (!sameKind) continue;
            if (a.ModelAtEnd != b.ModelAtEnd)
                return new MovedState("weights", a.Epoch, null, $"{previous}, generator state and batch order identical at the start of epoch {epoch}, weights differ after it",
                    $"the training computation of epoch {epoch} changed (forward, backward or update: a kernel, library or code change)");
            if (a.OptimizerAtEnd != b.OptimizerAtEnd)
                return new MovedState("optimizer", a.Epoch, null, $"weights identical after epoch {epoch}, optimizer state differs",
                    "the optimizer's own state (moments, step count) changed without moving the weights yet");
        }
        return null;
    }

    static string I(int value) => value.ToString(CultureInfo.InvariantCulture);
}
