namespace Repro;

// Maps what two runs' fingerprints and traces show to a named cause. The order matters: the
// earliest thing that differs explains everything after it (different data changes every weight).
internal static class RunEvidence
{
    /// <summary>Identical fingerprints, compared as canonical JSON (every double round-trips exactly).</summary>
    internal static bool Identical(TrainingFingerprint a, TrainingFingerprint b) =>
        ReproJson.Serialize(a) == ReproJson.Serialize(b);

    internal static bool Identical(EpochRecord a, EpochRecord b) =>
        ReproJson.Serialize(a) == ReproJson.Serialize(b);

    /// <summary>A finding from the fingerprints alone, or null when only a trace can tell.</summary>
    internal static DoctorFinding? FromFingerprints(TrainingFingerprint first, TrainingFingerprint second)
    {
        if (first.DataHash != second.DataHash)
            return new DoctorFinding(DoctorCodes.UnseededDataRandomness, FindingSeverity.Error,
                $"The training data differs between two runs of the same config (data hash {Short(first.DataHash)} vs {Short(second.DataHash)}).",
                "data loading and preprocessing, before the first step",
                "Draw every random number in the data path from a seeded stream, RandomStreams.Create(seed, \"<name>\"), never new Random() or Random.Shared.");
        if (first.InitialModelHash != second.InitialModelHash)
            return new DoctorFinding(DoctorCodes.UnseededTorchGenerator, FindingSeverity.Error,
                $"The initial weights differ between two runs (initial model hash {Short(first.InitialModelHash)} vs {Short(second.InitialModelHash)}) while the data is identical.",
                "model construction (weight initialisation), before the first step",
                "Seed torch right before building the model: Determinism.Reseed(seed) (torch.manual_seed); never call torch.random.seed() or initialise from an unseeded generator.");
        var reordered = first.Epochs.Zip(second.Epochs).FirstOrDefault(p => p.First.BatchOrderHash != p.Second.BatchOrderHash);
        if (reordered.First is not null)
            return BatchOrder($"epoch {reordered.First.Epoch} (batch order hash {Short(reordered.First.BatchOrderHash)} vs {Short(reordered.Second.BatchOrderHash)})");
        return null;
    }

    /// <summary>A finding from the first divergence of two traced runs.</summary>
    internal static DoctorFinding FromDivergence(FirstDivergence? divergence, DeterminismState state)
    {
        if (divergence is null)
            return new DoctorFinding(DoctorCodes.DivergenceOutsideTraining, FindingSeverity.Error,
                "The two runs differ, but every traced training step (batches, generator state, forward stages, gradients, updates) matched.",
                "after the training steps: evaluation, EMA weights or fingerprinting",
                "Look for randomness or unordered parallel reductions in evaluation and metrics code (run it twice on the same weights); raise DoctorOptions.MaxTraceSteps if the runs are longer than the trace.");
        var where = divergence.Describe();
        switch (divergence.Phase)
        {
            case "batch":
                return BatchOrder(where);
            case "rng":
                return new DoctorFinding(DoctorCodes.RngStateDiverged, FindingSeverity.Error,
                    "The torch generator's state differs at the start of a step although everything before it matched: something drew a different number of random values, or re-seeded from an unseeded source.",
                    where, "Seed every generator from the config (Determinism.Reseed) and keep data-dependent draws out of the torch generator (use RandomStreams for .NET-side randomness).");
            case "forward" when divergence.Name == "input":
                return new DoctorFinding(DoctorCodes.UnseededBatchWorkers, FindingSeverity.Error,
                    "The first batch's input tensor differs while the data, the batch order and the sample indices match: batch preparation adds randomness that is not seeded per sample.",
                    where, "Derive per-sample randomness from (seed, epoch, sample), as BatchLoader does with RandomStreams.Create(seed, \"input-noise/epoch{e}\", sample); never use per-thread new Random() in workers.");
        }
        var matched = divergence.InputsMatched == true;
        if (!state.DeterministicAlgorithms)
            return new DoctorFinding(DoctorCodes.NondeterministicKernel, FindingSeverity.Error,
                $"'{divergence.Name}' ({divergence.Phase}) gives different results for {(matched ? "identical" : "its")} inputs while deterministic algorithms are off: a kernel with atomics or a run-dependent algorithm.",
                where, "Turn deterministic algorithms on (DeterminismOptions.DeterministicAlgorithms = true; torch.use_deterministic_algorithms(True)) and keep CUBLAS_WORKSPACE_CONFIG=:4096:8; an op without a deterministic implementation then raises and names itself.");
        return new DoctorFinding(DoctorCodes.NondeterministicOperation, FindingSeverity.Error,
            $"'{divergence.Name}' ({divergence.Phase}) gives different results for {(matched ? "identical inputs and weights" : "its inputs")} although deterministic algorithms are on.",
            where, $"Look inside '{divergence.Name}' for randomness not drawn from the seeded torch generator (custom code, a module with its own generator, a kernel libtorch does not flag) and seed or remove it.");
    }

    /// <summary>Same in this process, different in another: what only a second process shows.</summary>
    internal static DoctorFinding CrossProcess(TrainingFingerprint here, TrainingFingerprint there)
    {
        var what = here.DataHash != there.DataHash ? $"the training data (data hash {Short(here.DataHash)} vs {Short(there.DataHash)})"
            : here.InitialModelHash != there.InitialModelHash ? "the initial weights"
            : here.Epochs.Zip(there.Epochs).Any(p => p.First.BatchOrderHash != p.Second.BatchOrderHash) ? "the batch order"
            : "the trained numbers";
        return new DoctorFinding(DoctorCodes.ProcessRandomisedHashing, FindingSeverity.Error,
            $"Two runs in this process are identical, but a run in a second process differs in {what}: something depends on per-process state, typically iteration order of hash-ordered string collections (string hashing is randomised per process).",
            "between processes (data path, before the first step when the data differs)",
            "Never let hash order reach the data: sort names before iterating (OrderBy(n => n, StringComparer.Ordinal)), use ordered collections, and derive seeds with a stable hash (RandomStreams.DeriveSeed), not string.GetHashCode.");
    }

    static DoctorFinding BatchOrder(string where) => new(DoctorCodes.StatefulBatchOrder, FindingSeverity.Error,
        "The batch order differs between two runs of the same config in one process: the order comes from state that survives between trainings (a static or reused generator, sampler or loader).",
        where, "Derive each epoch's order from (seed, epoch) alone, e.g. EpochOrder.Permutation(seed, epoch, count), and create samplers per training; never keep the generator in a static field.");

    internal static string Short(string hash) => hash.Length > 12 ? hash[..12] : hash;
}
