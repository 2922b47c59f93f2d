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
        return ConsumedOtherwise(first, second) is { } consumed ? CompletionOrder(consumed.First, consumed.Second) : null;
    }

    // The first epoch both runs planned alike whose steps consumed the samples otherwise.
    static (EpochRecord First, EpochRecord Second)? ConsumedOtherwise(TrainingFingerprint first, TrainingFingerprint second) =>
        first.Epochs.Zip(second.Epochs).Where(p => p.First.BatchOrderHash == p.Second.BatchOrderHash && p.First.ConsumedOrderHash != p.Second.ConsumedOrderHash)
            .Select(p => ((EpochRecord, EpochRecord)?)p).FirstOrDefault();

    /// <summary>The planned order is the same in both runs, the order the steps consumed is not: batches trained as they completed.</summary>
    internal static DoctorFinding CompletionOrder(EpochRecord first, EpochRecord second)
    {
        var same = first.ConsumedPlannedSamplesReordered || second.ConsumedPlannedSamplesReordered
            ? " Each run consumed the planned samples, in another order." : "";
        return new DoctorFinding(DoctorCodes.CompletionOrderConsumption, FindingSeverity.Error,
            $"Both runs planned the same batch order (batch order hash {Short(first.BatchOrderHash)}), but the steps consumed their samples in another order (consumed in completion order: " +
                $"consumed order hash {Short(first.ConsumedOrderHash ?? first.BatchOrderHash)} vs {Short(second.ConsumedOrderHash ?? second.BatchOrderHash)}).{same} The batches reach the training in the order tasks complete or a concurrent collection hands them out, " +
                "which thread scheduling decides.",
            $"epoch {first.Epoch}: the loop over context.Steps/Batches",
            CompletionOrderFix);
    }

    /// <summary>One run whose steps consumed the planned samples in another order than planned: it reproduces only while scheduling does.</summary>
    internal static DoctorFinding ConsumedOutOfPlan(EpochRecord epoch) => new(DoctorCodes.CompletionOrderConsumption, FindingSeverity.Warning,
        $"In epoch {epoch.Epoch} the steps consumed the planned samples in another order than the order the check planned (context.Order or RecordOrder): consumed in completion order, " +
            "by the look of it. The runs here happened to agree, but the order comes from thread scheduling, so another run or machine trains another order.",
        $"epoch {epoch.Epoch}: the loop over context.Steps/Batches",
        CompletionOrderFix + " If the order is deliberate and deterministic, record the order the steps consume with context.RecordOrder(order).");

    const string CompletionOrderFix = "Collect results by index, not in completion order: " +
        "prepare batches into an array slot per batch (results[i] = ...) or with Task.WhenAll (which keeps the tasks' order), never from a ConcurrentBag/ConcurrentQueue or as tasks complete, " +
        "and train them in the planned order.";

    /// <summary>A finding from the first divergence of two traced runs.</summary>
    internal static DoctorFinding FromDivergence(FirstDivergence? divergence, DeterminismState state, bool dataWorkers = false)
    {
        if (divergence is null)
            return new DoctorFinding(DoctorCodes.DivergenceOutsideTraining, FindingSeverity.Error,
                "The two runs differ, but every traced training step (batches, generator state, forward stages, gradients, updates) matched.",
                "after the training steps: evaluation, EMA weights or fingerprinting",
                "Look for randomness or unordered parallel reductions in evaluation and metrics code (run it twice on the same weights); " +
                    "raise DoctorOptions.MaxTraceSteps if the runs are longer than the trace.");
        var where = divergence.Describe();
        switch (divergence.Phase)
        {
            case "batch":
                return BatchOrder(where);
            case "rng":
                return new DoctorFinding(DoctorCodes.RngStateDiverged, FindingSeverity.Error,
                    "The torch generator's state differs at the start of a step although everything before it matched: something drew a different number of random values, " +
                        "or re-seeded from an unseeded source.",
                    where, "Seed every generator from the config (Determinism.Reseed) and keep data-dependent draws out of the torch generator (use RandomStreams for .NET-side randomness).");
            case "forward" when divergence.Name == "input" && !dataWorkers:
                return new DoctorFinding(DoctorCodes.UnseededBatchRandomness, FindingSeverity.Error,
                    "The first batch's input tensor differs while the data, the batch order and the sample indices match: batch preparation (augmentation, input noise, " +
                        "jitter) draws random numbers that are not seeded (Random.Shared, new Random(), a generator of its own).",
                    where, "Derive batch-time randomness from the config: RandomStreams.Create(seed, \"input-noise/epoch{e}\", sample) per sample, or the seeded torch generator; " +
                        "never Random.Shared or new Random().");
            case "forward" when divergence.Name == "input":
                return new DoctorFinding(DoctorCodes.UnseededBatchWorkers, FindingSeverity.Error,
                    "The first batch's input tensor differs while the data, the batch order and the sample indices match: batch preparation adds randomness that is not seeded per sample.",
                    where, "Derive per-sample randomness from (seed, epoch, sample), as BatchLoader does with RandomStreams.Create(seed, \"input-noise/epoch{e}\", sample); " +
                        "never use per-thread new Random() in workers.");
        }
        var matched = divergence.InputsMatched == true;
        if (!state.DeterministicAlgorithms)
            return new DoctorFinding(DoctorCodes.NondeterministicKernel, FindingSeverity.Error,
                $"'{divergence.Name}' ({divergence.Phase}) gives different results for {(matched ? "identical" : "its")} inputs while deterministic algorithms are off: " +
                    "a kernel with atomics or a run-dependent algorithm.",
                where, "Turn deterministic algorithms on (DeterminismOptions.DeterministicAlgorithms = true; torch.use_deterministic_algorithms(True)) and keep CUBLAS_WORKSPACE_CONFIG=:4096:8; " +
                    "an op without a deterministic implementation then raises and names itself.");
        return new DoctorFinding(DoctorCodes.NondeterministicOperation, FindingSeverity.Error,
            $"'{divergence.Name}' ({divergence.Phase}) gives different results for {(matched ? "identical inputs and weights" : "its inputs")} although deterministic algorithms are on.",
            where, $"Look inside '{divergence.Name}' for randomness not drawn from the seeded torch generator (custom code, a module with its own generator, " +
                "a kernel libtorch does not flag) and seed or remove it.");
    }

    /// <summary>Same in this process, different in another: what only a second process shows.</summary>
    internal static DoctorFinding CrossProcess(TrainingFingerprint here, TrainingFingerprint there, DataStageDifference? rounding = null)
    {
        if (here.DataHash == there.DataHash && here.InitialModelHash == there.InitialModelHash && ConsumedOtherwise(here, there) is { } consumed)
            return CompletionOrder(consumed.First, consumed.Second);
        if (rounding is not null)
            return new DoctorFinding(DoctorCodes.OrderDependentReduction, FindingSeverity.Error,
                $"Two runs in this process are identical, but a run in a second process differs, and only at rounding level: {rounding.Describe()}. Equal inputs summed in another order " +
                    "give that (a reduction whose order follows thread scheduling, settled once per process by how warm its threads are); per-process hashing reorders items instead.",
                $"data preparation, stage '{rounding.Stage}' (between processes)", OrderFix);
        var what = here.DataHash != there.DataHash ? $"the training data (data hash {Short(here.DataHash)} vs {Short(there.DataHash)})"
            : here.InitialModelHash != there.InitialModelHash ? "the initial weights"
            : here.Epochs.Zip(there.Epochs).Any(p => p.First.BatchOrderHash != p.Second.BatchOrderHash) ? "the batch order"
            : "the trained numbers";
        return new DoctorFinding(DoctorCodes.ProcessRandomisedHashing, FindingSeverity.Error,
            $"Two runs in this process are identical, but a run in a second process differs in {what}: something depends on per-process state, " +
                "typically iteration order of hash-ordered string collections (string hashing is randomised per process).",
            "between processes (data path, before the first step when the data differs)",
            "Never let hash order reach the data: sort names before iterating (OrderBy(n => n, StringComparer.Ordinal)), use ordered collections, " +
                "and derive seeds with a stable hash (RandomStreams.DeriveSeed), not string.GetHashCode.");
    }

    /// <summary>
    /// The first training in a process reproduces (it equals <paramref name="reference"/>: the baseline, or a
    /// training in a fresh process) and the next one in the same process does not: whatever stage it
    /// shows in, state carried over from one training to the next.
    /// </summary>
    internal static DoctorFinding StateSurvives(DoctorFinding stage, string reference)
    {
        var evidence = $"The first training in this process matches {reference}, the second training does not: state survives from one training to the next in a process.";
        if (stage.Code == DoctorCodes.StatefulBatchOrder) return stage with { What = evidence + " " + stage.What };
        return new DoctorFinding(DoctorCodes.StateSurvivesBetweenTrainings, FindingSeverity.Error,
            $"{evidence} It first shows here: {stage.What}",
            stage.Where,
            "Keep everything a training depends on in the check instance (fields set in PrepareData/CreateModel) and out of static fields: a static generator, step counter, " +
                "cache or lazily built table carries over to the next training. Put back any process-wide setting the training changes (torch default dtype, grad mode, thread count).");
    }

    /// <summary>The second training differed, a third equals the first again: a difference that arises in some trainings only.</summary>
    internal static DoctorFinding DifferedOnce(DoctorFinding stage) => stage with
    {
        What = stage.What + " A third training here equals the first again: the difference arises in some trainings and not in others (intermittent, " +
            "such as a reduction whose order follows thread scheduling); it is not state left by an earlier training.",
    };

    /// <summary>A training in a fresh process differs from both: randomness per run, not state left by an earlier training.</summary>
    internal static DoctorFinding PerRun(DoctorFinding stage, string reference)
    {
        var evidence = $" {char.ToUpperInvariant(reference[0])}{reference[1..]} differs from both runs as well: the difference arises anew in every training; it is not state left by an earlier one.";
        if (stage.Code != DoctorCodes.StatefulBatchOrder) return stage with { What = stage.What + evidence };
        return new DoctorFinding(DoctorCodes.UnseededBatchOrder, FindingSeverity.Error,
            "The batch order differs between two runs of the same config." + evidence,
            stage.Where, "Derive each epoch's order from (seed, epoch) alone: EpochContext.Order(count), or EpochOrder.Permutation(seed, epoch, count); " +
                "never shuffle with new Random() or Random.Shared.");
    }

    /// <summary>
    /// The first two runs differ (the compact trace says where), but two more runs traced step by step are
    /// identical: the difference does not recur.
    /// </summary>
    internal static DoctorFinding NotRecurring(MovedState moved) => new(DoctorCodes.DivergenceOutsideTraining, FindingSeverity.Error,
        $"The first two runs differ ({moved.Summary}), but two more runs traced step by step are identical: the difference does not recur, " +
            "so state changed during the first trainings and then settled, or it is intermittent.",
        moved.Epoch is { } epoch ? $"{moved.Piece} in epoch {epoch}" : moved.Stage is { } stage ? $"data stage '{stage}'" : moved.Piece,
        "Look for static state that the first trainings change (counters, caches, lazily built tables, " +
            "a generator) and run the doctor again in a fresh process (repro doctor --processes) to compare a first training with this one.");

    /// <summary>The training data differs between two runs; the data stages' values say whether by rounding only.</summary>
    internal static DoctorFinding FromDataStages(DataStageDifference difference, DoctorFinding data)
    {
        if (difference.RoundingLevel && difference.IdenticalBefore.Count > 0)
            return new DoctorFinding(DoctorCodes.OrderDependentReduction, FindingSeverity.Error,
                $"The training data differs between two runs of the same config, but only at rounding level: {difference.Describe()}. Equal inputs summed in another order give that; " +
                    "unseeded randomness gives larger differences.",
                $"data preparation, stage '{difference.Stage}'",
                OrderFix);
        return data with { What = $"{data.What} First differing {difference.Describe()}.", Where = $"data preparation, stage '{difference.Stage}'" };
    }

    /// <summary>Two trainings agreed, a later data preparation did not, and every one after it equals that one: the data changed once, with time.</summary>
    internal static DoctorFinding DataOverTime(DataStageDifference difference, int preparation) => new(DoctorCodes.NondeterministicOverTime, FindingSeverity.Error,
        $"Two trainings here are identical, but data preparation {preparation} of the same config differs from them, and the preparations after it equal it: " +
            $"the data changed once during this diagnosis, with nothing changed in the check, so the training depends on when it runs. First differing {difference.Describe()}.",
        $"data preparation, stage '{difference.Stage}'", RecordedChanges.OverTimeDoctorFix);

    /// <summary>Two trainings agreed, but a later data preparation did not: an intermittent difference, named by its size.</summary>
    internal static DoctorFinding Intermittent(DataStageDifference difference, int preparation)
    {
        var intermittent = $"Two trainings here are identical, but data preparation {preparation} of the same config differs from the first (the difference is intermittent: " +
            "it depends on thread scheduling, so some runs agree by chance).";
        if (difference.RoundingLevel && difference.IdenticalBefore.Count > 0)
            return new DoctorFinding(DoctorCodes.OrderDependentReduction, FindingSeverity.Error,
                $"{intermittent} Only at rounding level: {difference.Describe()}. Equal inputs summed in another order give that; unseeded randomness gives larger differences.",
                $"data preparation, stage '{difference.Stage}'", OrderFix);
        return new DoctorFinding(DoctorCodes.UnseededDataRandomness, FindingSeverity.Error,
            $"{intermittent} First differing {difference.Describe()}.",
            $"data preparation, stage '{difference.Stage}'",
            "Draw every random number in the data path from a seeded stream, RandomStreams.Create(seed, \"<name>\"), never new Random() or Random.Shared; remove any dependence on thread timing.");
    }

    /// <summary>
    /// Runs that agreed at the start of the diagnosis and disagree later with nothing changed: the training
    /// depends on when it runs. Named clock-seeded where the time-zone process also moved it.
    /// </summary>
    internal static DoctorFinding OverTime(TrainingFingerprint earlier, TrainingFingerprint later, bool clockPerturbed)
    {
        var moved = TraceComparison.FirstMoved(earlier, later) is { } state ? $" ({state.Piece} moved first)" : "";
        var what = "Runs of the same config agreed at the start of this diagnosis, and a plain run with nothing changed differs from them later" + moved +
            ": the training depends on when it runs, so a baseline accepted now fails later.";
        return clockPerturbed
            ? new DoctorFinding(DoctorCodes.ClockSeededRandomness, FindingSeverity.Error,
                what + " A process in another time zone moved it as well: the training derives numbers from the clock (new Random(DateTime.Now.Minute), a seed from DateTime.Now, " +
                    "Environment.TickCount or the date).",
                "a plain second process, later in the diagnosis", ClockFix)
            : new DoctorFinding(DoctorCodes.NondeterministicOverTime, FindingSeverity.Error, what,
                "a plain run, later in the diagnosis", RecordedChanges.OverTimeDoctorFix);
    }

    /// <summary>Identical here and in a plain second process, different in a perturbed one: latent non-determinism.</summary>
    internal static DoctorFinding Latent(PerturbationResult result, TrainingFingerprint here, TrainingFingerprint? there, DataStageDifference? rounding = null, bool repeatsItself = true)
    {
        var moved = result.FirstMovedState;
        var where = result.Failure is { } failure ? $"a second process with {result.Name}, where training failed: {failure}"
            : moved is null ? "a second process with " + result.Name : $"a second process with {result.Name}: {moved.Summary}";
        if (there?.TrainingThreads is { } threads && here.TrainingThreads is { } ours && threads != ours)
            return new DoctorFinding(DoctorCodes.ThreadCountSetInTraining, FindingSeverity.Error,
                $"Under {result.Name} the training ran with {threads} intra-op threads instead of {ours}: the check sets torch's thread count from the machine (e.g. " +
                    "torch.set_num_threads(Environment.ProcessorCount)), so its numbers follow the core count.",
                where, ThreadsFix);
        var lead = $"Two runs in this process and a run in a plain second process are identical, but a run with {result.Name} differs, and that must not matter.";
        if (moved?.Piece == "consumed-order" && there is not null && moved.Epoch is { } epoch)
            return CompletionOrder(here.Epochs[epoch - 1], there.Epochs[epoch - 1]) with { Where = where };
        // Rounding level from equal earlier stages is a summation order, whichever perturbation showed it; .NET's SIMD width keeps its
        // own name and fix when a second run with that width repeats the first.
        if (rounding is not null && (result.Kind != Perturbation.VectorWidth || !repeatsItself))
            return new DoctorFinding(DoctorCodes.OrderDependentReduction, FindingSeverity.Error,
                $"{lead} The data moved first, and only at rounding level: {rounding.Describe()}. Equal inputs summed in another order give that: a reduction in data preparation " +
                    "whose order follows thread scheduling or the core count.",
                where, OrderFix);
        if (result.Kind is Perturbation.ProcessorCount or Perturbation.ThreadPool && moved?.Piece == "data")
            return new DoctorFinding(DoctorCodes.OrderDependentReduction, FindingSeverity.Error,
                $"{lead} The data moved first ({moved.Summary}): a computation in data preparation splits or combines its work by core count or thread scheduling (a parallel reduction), " +
                    "which gives the same bits only on machines like this one.",
                where, OrderFix);
        if (result.Kind == Perturbation.DataWorkers)
            return new DoctorFinding(DoctorCodes.DataWorkerDependent, FindingSeverity.Error,
                $"{lead} The result depends on how the data work is split over workers{(moved is null ? "" : $" ({moved.Piece} moved first)")}: " +
                    "a random generator per worker (seeded by its worker index), results appended in completion order, or per-worker partial results, " +
                    "which repeat with one worker count and change with another (another machine, another setting).",
                where, "Make each sample's result a function of the sample, not of the worker that handles it: draw its randomness from RandomStreams.Create(seed, \"<name>/epoch{e}\", sample), " +
                    "write each result into its own slot by index (never Add to a shared list or queue as workers finish), and combine partial sums over fixed-size chunks in chunk order.");
        if (result.Kind == Perturbation.VectorWidth)
            return new DoctorFinding(DoctorCodes.SimdWidthDependent, FindingSeverity.Error,
                $"{lead} .NET's SIMD width changed the result{(moved is null ? "" : $" ({moved.Piece} moved first)")}: managed float code vectorised by the JIT (TensorPrimitives, Vector<T>, " +
                    "Vector256 and Vector512 code) adds in another order at another width, so an AVX2-only runner and an AVX-512 machine compute other bits.",
                where, $"Keep {CpuProfile.VectorWidthVariable}={CpuProfile.PortableVectorBits} in every process that trains (dotnet test and the repro tool set it; " +
                    "set it yourself where you start the process), or sum float data in a fixed order (a plain loop in double precision) instead of vectorised helpers.");
        if (result.Kind == Perturbation.Clock)
            return new DoctorFinding(DoctorCodes.ClockSeededRandomness, FindingSeverity.Error,
                $"{lead} Only the local time the clock tells the training changed{(moved is null ? "" : $" ({moved.Piece} moved first)")}: " +
                    "the training derives numbers from the clock (new Random(DateTime.Now.Minute), a seed from DateTime.Now, Environment.TickCount or the date), so every minute, " +
                    "hour or time zone trains other numbers, and a baseline accepted now fails later.",
                where, ClockFix);
        if (result.Kind == Perturbation.Culture)
            return new DoctorFinding(DoctorCodes.CultureDependentData, FindingSeverity.Error,
                $"{lead} The process culture changed the result: numbers or dates are parsed or formatted with the current culture (float.Parse, ToString, " +
                    "string.Format without CultureInfo.InvariantCulture), so a machine with another locale reads other data.",
                where, "Pass CultureInfo.InvariantCulture to every Parse, TryParse, ToString and string.Format on the data path (or set <InvariantGlobalization>true</InvariantGlobalization>).");
        return new DoctorFinding(DoctorCodes.LatentNondeterminism, FindingSeverity.Error,
            $"{lead} The training depends on something that varies between machines and runs although two runs here agree.",
            where, result.Kind switch
            {
                Perturbation.ProcessorCount or Perturbation.ThreadPool => "Make no result depend on the core count or thread scheduling: fixed-size chunks combined in order, " +
                    "no per-thread or per-core state, no Environment.ProcessorCount in the training path.",
                Perturbation.EnvironmentOrder => "Do not iterate environment variables (or anything built from them) in their native order; read the variables you need by name.",
                Perturbation.GcMode => "Do not let collection timing reach the numbers: no finalizers, weak references or caches keyed on object lifetime in the training path.",
                _ => "Run each perturbation alone (DoctorOptions.Perturb) to see which one matters, then remove the dependence on it.",
            });
    }

    /// <summary>Training ran with another thread count than the one applied before it (and named in the key).</summary>
    internal static DoctorFinding? ThreadsDuringTraining(TrainingFingerprint run, EnvironmentFingerprint environment) =>
        run.TrainingThreads is { } threads && threads != environment.IntraOpThreads
            ? new DoctorFinding(DoctorCodes.ThreadCountSetInTraining, FindingSeverity.Error,
                $"Training ran with {threads} intra-op threads, but the determinism options pinned {environment.IntraOpThreads} and the environment key says threads-{environment.IntraOpThreads}: " +
                    "code in the training sets torch's thread count itself. Its numbers follow whatever that code picks (often the core count), " +
                    "and a baseline accepted from this run would be stored under the wrong key.",
                "the check's training code (torch.set_num_threads during training)", ThreadsFix)
            : null;

    /// <summary>The first training left process-wide settings changed that the next training inherits.</summary>
    internal static DoctorFinding GlobalDefaultsChanged(IReadOnlyList<string> changes) => new(DoctorCodes.GlobalDefaultChanged, FindingSeverity.Error,
        $"A training left process-wide settings changed: {string.Join("; ", changes)}. The next training in the process (the next test, " +
            "the next run of the doctor) builds its model or parses its data under them.",
        "process-wide state after the first training", GlobalDefaultsFix);

    /// <summary>The first training finished, the second of the same check in the same process failed.</summary>
    internal static DoctorFinding SecondTrainingFailed(Exception error, IReadOnlyList<string> changes) => new(
        changes.Count > 0 ? DoctorCodes.GlobalDefaultChanged : DoctorCodes.StateSurvivesBetweenTrainings, FindingSeverity.Error,
        $"The first training in this process finished, the second training of the same check failed ({error.GetType().Name}: {error.Message.Split('\n')[0]})" +
            (changes.Count > 0 ? $". The first left process-wide settings changed: {string.Join("; ", changes)}." : ": something the first training left behind (a static field, a cache, " +
                "a process-wide setting) breaks the next one."),
        "between two trainings in one process",
        changes.Count > 0 ? GlobalDefaultsFix : "Keep per-training state in the check instance, not in static fields, and put back every process-wide setting the training changes.");

    const string GlobalDefaultsFix = "Put back every process-wide setting the training changes (try/finally around torch.set_default_dtype, torch.set_grad_enabled or a no_grad() scope instead, " +
        "CultureInfo.CurrentCulture), or pass the setting explicitly (dtype: on each tensor, CultureInfo.InvariantCulture when parsing).";

    internal const string ClockFix = "Seed from the config, never from the clock: RandomStreams.Create(seed, \"<name>\") or context.Random(\"<name>\") for .NET-side draws, " +
        "Determinism.Reseed(seed) for torch; keep DateTime.Now, Environment.TickCount and Stopwatch out of everything that reaches the numbers.";

    const string ThreadsFix = "Remove torch.set_num_threads from the training code and pin the count with DeterminismOptions.IntraOpThreads, which the harness applies before every training.";

    const string OrderFix = "Reduce in a fixed order: sequentially, or over fixed-size chunks (never one per core or thread) combined in chunk order; " +
        "never add partial results to a shared total as they complete (Parallel.For/ForEach with a lock or Interlocked, PLINQ Sum, ConcurrentBag).";

    static DoctorFinding BatchOrder(string where) => new(DoctorCodes.StatefulBatchOrder, FindingSeverity.Error,
        "The batch order differs between two runs of the same config in one process: the order comes from state that survives between trainings (a static or reused generator, sampler or loader).",
        where, "Derive each epoch's order from (seed, epoch) alone, e.g. EpochOrder.Permutation(seed, epoch, count), and create samplers per training; never keep the generator in a static field.");

    internal static string Short(string hash) => hash.Length > 12 ? hash[..12] : hash;
}
