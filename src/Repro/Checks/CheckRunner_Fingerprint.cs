using System.Text.Json;
using static TorchSharp.torch;

namespace Repro;

internal sealed partial class CheckRunner
{
    // What a finished training recorded: metrics per epoch, every tensor's hash, the data and order hashes,
    // the trace, and what the run was (code, optimizer, threads, declared comparison).
    TrainingFingerprint Fingerprint(nn.Module model, EnvironmentFingerprint environment, JsonElement settings, string dataHash,
        IReadOnlyDictionary<string, string> initialHashes, List<EpochRecord> epochs, FinalResult final)
    {
        var (tensors, modelHash, optimizerHash, legacyHashes) = RunHashes.Final(model, context.Optimizer, context.OptimizerSteps, initialHashes);
        return new TrainingFingerprint
        {
            Name = check.Name,
            Device = context.Runtime.Device,
            ConfigHash = SettingsJson.Hash(settings),
            ConfiguredEpochs = check.Epochs,
            DataHash = dataHash,
            InitialModelHash = initialHashes[TensorHashKinds.Current],
            Epochs = epochs,
            Tensors = tensors,
            ModelHash = modelHash,
            OptimizerStateHash = optimizerHash,
            OptimizerSteps = context.OptimizerSteps,
            BestEpoch = final.BestEpoch,
            StoppedEarly = epochs.Count < check.Epochs,
            Final = final.Metrics,
            Evaluation = final.Evaluation?.ToDictionary(e => e.Key, e => JsonSerializer.SerializeToElement(e.Value, e.Value.GetType(), ReproJson.Options)),
            HashKind = TensorHashKinds.Current,
            LegacyHashes = legacyHashes,
            Trace = context.Recorder.Finish(),
            TrainingThreads = context.Recorder.ThreadsDuringTraining(environment.IntraOpThreads),
            TrainingCpuCapability = Native.ATenContext.CpuCapability,
            Code = CodeIdentity.Of(check.GetType()),
            Comparison = DeclaredComparison(check),
            UsesDataWorkers = context.AskedForDataWorkers,
            Optimizer = context.Optimizer is ReproAdamW repro ? $"{nameof(ReproAdamW)}({repro.Kernel.ToString().ToLowerInvariant()})" : context.Optimizer.GetType().FullName,
        };
    }
}
