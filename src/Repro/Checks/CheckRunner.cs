using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace Repro;

// One training of one check: seeding and model construction in the order that makes CPU and CUDA
// runs start from the same weights, the epoch loop, and the fingerprint.
// communicator: a test's stand-in for the ranks (null: NCCL when launched as a rank, else a world of one).
internal sealed partial class CheckRunner(TrainingCheck check, TrainingContext context, CheckpointOptions? checkpoints = null, LoadedCheckpoint? resume = null, ICommunicator? communicator = null)
{
    /// <summary>What the run was doing, for errors that reach the user ("creating the model (CreateModel)").</summary>
    internal string Phase { get; private set; } = "preparing the data (PrepareData)";

    internal TrainingResult Run(EnvironmentFingerprint environment, JsonElement settings)
    {
        var dataHash = check.PrepareData(context) ?? "none";
        Phase = "creating the model (CreateModel)";

        // Initialise on the CPU generator so CPU and CUDA runs start from identical weights.
        Determinism.Reseed(check.Seed);
        var model = check.CreateModel(context) ?? throw new ReproException($"The check '{check.Name}' returned no model from CreateModel.");
        context.Model = model;
        var hooks = context.Observer is { } observer ? ModuleHooks.Install(model, observer.OnModule) : null;
        using var firstStep = FirstStepValues.Watch(model, context);
        try
        {
            CheckValidation.ValidateModel(check, model);
            var initialHashes = RunHashes.Initial(model);
            var initialHash = initialHashes[TensorHashKinds.Current];
            Phase = $"moving the model to {context.Device.type.ToString().ToLowerInvariant()}";
            model.to(context.Device);
            Phase = "creating the optimizer (CreateOptimizer)";
            Determinism.Reseed(TrainingHarness.TrainingSeed(check.Seed));
            context.Optimizer = check.CreateOptimizer(model, context)
                ?? throw new ReproException($"The check '{check.Name}' returned no optimizer from CreateOptimizer.");
            context.DataParallel = DataParallelRank.Create(check, context, communicator);
            if (context.DataParallel is { WorldSize: > 1 } && checkpoints is not null)
                throw new ReproException($"Checkpoints of a data-parallel run on {context.DataParallel.WorldSize} GPUs are not written yet (rank 0's checkpoint and a resume on the same world size are issue 25's next step); " +
                    "train without checkpoint options, or on one GPU.");
            environment = context.DataParallel?.Record(environment) ?? environment;

            var epochs = new List<EpochRecord>();
            var session = checkpoints is null ? null : new CheckpointSession(check, context, checkpoints, resume, environment, settings, dataHash, initialHash, epochs);
            context.Checkpoints = session;
            var (first, finished) = session?.Start() ?? (1, false);
            if (!finished) TrainEpochs(model, session, first, epochs);
            context.Checkpoints = null;

            Phase = "finishing (Finish)";
            var final = check.Finish(context) ?? FinalResult.None;
            CheckValidation.ValidateFinal(check, final);
            var fingerprint = Fingerprint(model, environment, settings, dataHash, initialHashes, epochs, final);
            var steps = context.CapturedSteps.Count == 0 ? null : string.Join("; ", context.CapturedSteps);
            return new TrainingResult(check, context, new TrainedRun(check.Name, settings, environment, fingerprint) { Steps = steps });
        }
        catch
        {
            context.Optimizer?.Dispose();
            model.Dispose();
            throw;
        }
        finally
        {
            hooks?.Dispose();
            context.DataParallel?.Dispose();
        }
    }

    // The epochs from the first one not yet trained (after a resume, the checkpoint's), to the last or an early stop.
    void TrainEpochs(nn.Module model, CheckpointSession? session, int first, List<EpochRecord> epochs)
    {
        for (var epoch = first; epoch <= check.Epochs; epoch++)
        {
            var epochContext = new EpochContext(context, epoch);
            Phase = $"training epoch {epoch} (TrainEpoch)";
            session?.BeginEpoch(epochContext);
            // An epoch resumed inside keeps the generator digest its checkpoint took when it started.
            if (epochContext.SkippedSteps == 0) context.Recorder.EpochStarting(context.Runtime.IsCuda);
            Metrics metrics;
            try
            {
                metrics = check.TrainEpoch(epochContext) ?? throw new ReproException($"The check '{check.Name}' returned no metrics for epoch {epoch}; return new Metrics {{ [\"loss\"] = ... }}.");
                session?.EpochTrained(epochContext);
            }
            finally
            {
                epochContext.End();
            }
            CheckValidation.ValidateEpoch(check, epoch, metrics, epochs.Count == 0 ? null : epochs[^1]);
            var record = new EpochRecord(epoch, metrics, epochContext.OrderHash ?? "none") { ConsumedOrderHash = epochContext.ConsumedOrderHash, ConsumedPlannedSamplesReordered = epochContext.ConsumedPlannedSamplesReordered };
            epochs.Add(record);
            context.Recorder.EpochEnded(epoch, model, context.Optimizer, context.OptimizerSteps);
            context.Progress?.Report(new TrainingProgress(epoch, check.Epochs, epochContext.ReportedBatches, epochContext.ReportedBatches, record));
            session?.EpochRecorded(epochContext);
            if (epochContext.StopRequested) break;
        }
    }

    // Exact comparisons are not written, so baselines of checks that declare no tolerance stay as they were.
    // (CheckValidation refused a null declaration before training.)
    static ComparisonOptions? DeclaredComparison(TrainingCheck check) =>
        check.Comparison is { IsExact: true, UseEnvelope: true } ? null : check.Comparison;
}
