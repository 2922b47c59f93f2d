using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace Repro;

// One training's checkpoints: restores a checkpoint before training continues, replays the steps of
// a resumed epoch that the checkpoint had already done (EpochContext's steps leave them out), hands the
// resumed epoch its sums back, restores torch's generators at the exact point they were captured, and
// writes checkpoints on the schedule of CheckpointOptions.
internal sealed class CheckpointSession
{
    const string ModelPrefix = "model.";
    const string GradientPrefix = "grad.";
    const string CheckPrefix = "check.";
    const string CpuGenerator = "generator.cpu";

    readonly TrainingCheck _check;
    readonly TrainingContext _context;
    readonly CheckpointOptions _options;
    readonly EnvironmentFingerprint _environment;
    readonly JsonElement _settings;
    readonly string _configHash;
    readonly string _dataHash;
    readonly string _initialModelHash;
    readonly List<EpochRecord> _epochs;
    readonly string? _root;
    string _optimizerKind = "";

    // The step samples of the current epoch so far: a mid-epoch checkpoint records their hash, and a
    // resume checks that the steps it skips are the ones the checkpoint had done.
    XxHash128 _epochSamples = new();
    long _lastWrittenSteps = -1;

    // Resuming inside an epoch: that epoch, the steps to skip, their samples hash and the generators
    // to restore before the first step that runs.
    int _resumeEpoch;
    int _resumeSkip;
    string? _resumeSamplesHash;
    GeneratorState? _resumeGenerators;
    EpochSumsCheckpoint? _resumeSums;

    readonly LoadedCheckpoint? _resume;

    /// <summary>
    /// Reads the checkpoint to resume from, if any, and refuses it when it belongs to another check, config,
    /// device or environment: before the data is prepared or anything trains.
    /// </summary>
    internal static LoadedCheckpoint? Open(CheckpointOptions options, TrainingCheck check, NativeRuntimeInfo runtime, EnvironmentFingerprint environment, JsonElement settings)
    {
        if (options.ResumeFrom is null) return null;
        var loaded = CheckpointReader.Read(CheckpointFolder.Resolve(options.ResumeFrom));
        var (folder, manifest) = (loaded.Folder, loaded.Manifest);
        var configHash = SettingsJson.Hash(settings);
        string? problem = null;
        if (manifest.Check != check.Name)
            problem = $"it was written by the check '{manifest.Check}', and this run trains '{check.Name}'";
        else if (manifest.ConfigHash != configHash)
            problem = $"it was written with other settings (config hash {manifest.ConfigHash}, this run's is {configHash}; {SettingsDifference.Describe(manifest.Settings, settings)}). " +
                "Resume with the settings that wrote it (the same --config, --epochs, --device)";
        else if (manifest.Device != runtime.Device)
            problem = $"it was written on {manifest.Device} and this run trains on {runtime.Device}; resume on {manifest.Device}";
        else if (manifest.EnvironmentKey != environment.Key)
            problem = $"it was written on the environment {manifest.EnvironmentKey} and this is {environment.Key}: the two give different bits, so the resumed run would match neither. " +
                "Resume it where it was written";
        else if (manifest.Position.Epoch > check.Epochs)
            problem = $"it was taken in epoch {manifest.Position.Epoch}, beyond the {check.Epochs} epochs this run trains";
        if (problem is not null)
            throw new ReproException($"Cannot resume from checkpoint {folder}: {problem}.");
        return loaded;
    }

    internal CheckpointSession(TrainingCheck check, TrainingContext context, CheckpointOptions options, LoadedCheckpoint? resume, EnvironmentFingerprint environment,
        JsonElement settings, string dataHash, string initialModelHash, List<EpochRecord> epochs)
    {
        _resume = resume;
        _check = check;
        _context = context;
        _options = options;
        _environment = environment;
        _settings = settings;
        _configHash = SettingsJson.Hash(settings);
        _dataHash = dataHash;
        _initialModelHash = initialModelHash;
        _epochs = epochs;
        _root = options.Directory is null ? null : Path.GetFullPath(options.Directory);
    }

    /// <summary>After the optimizer is built: restores the checkpoint to resume from, if any, and says where training continues.</summary>
    internal (int FirstEpoch, bool Finished) Start()
    {
        _optimizerKind = OptimizerCheckpoint.Kind(_check, _context.Optimizer);
        if (_root is not null)
        {
            Directory.CreateDirectory(_root);
            CheckpointFolder.RemoveUnfinished(_root);
        }
        if (_resume is not { } loaded) return (1, false);

        var manifest = loaded.Manifest;
        Validate(loaded);
        Restore(loaded);
        var position = manifest.Position;
        _lastWrittenSteps = position.Steps;
        var generators = new GeneratorState(loaded.Tensors[CpuGenerator].Data, manifest.CudaGenerator);
        if (position.EndOfEpoch)
        {
            // Nothing runs between here and the next epoch (or Finish), as nothing ran between the end of
            // that epoch and the moment its checkpoint captured the generators.
            generators.Restore();
            return (position.Epoch + 1, position.Stopped || position.Epoch >= _check.Epochs);
        }
        _resumeEpoch = position.Epoch;
        _resumeSkip = position.StepInEpoch;
        _resumeSamplesHash = manifest.EpochSamplesHash;
        _resumeGenerators = generators;
        _resumeSums = EpochSumsCheckpoint.For(loaded);
        return (position.Epoch, false);
    }

    internal void BeginEpoch(EpochContext epoch)
    {
        _epochSamples = new XxHash128();
        if (epoch.Epoch == _resumeEpoch) epoch.SkippedSteps = _resumeSkip;
    }

    /// <summary>At the start of a step: false to skip it (done before the checkpoint resumed from); else takes a checkpoint when one is due.</summary>
    internal bool BeforeStep(EpochContext epoch, ReadOnlySpan<int> samples)
    {
        var done = epoch.StepInEpoch;
        if (epoch.Epoch == _resumeEpoch && _resumeGenerators is not null)
        {
            if (done < _resumeSkip)
            {
                AppendSamples(samples);
                return false;
            }
            ReachResumePoint(epoch);
        }
        else if (done >= 1)
        {
            var stop = _options.StopAfter is { EndOfEpoch: false } at && at.Epoch == epoch.Epoch && at.Step == done;
            var due = _options.EverySteps > 0 && _context.Steps % _options.EverySteps == 0 && _context.Steps != _lastWrittenSteps;
            if (stop || due)
            {
                var position = CheckpointPosition.AfterStep(epoch.Epoch, done);
                var folder = Write(position, done, Hex(_epochSamples), stopped: false, epoch);
                if (stop) throw new TrainingStoppedException(_check.Name, position, folder);
            }
        }
        AppendSamples(samples);
        return true;
    }

    /// <summary>Right after the check's TrainEpoch returned.</summary>
    internal void EpochTrained(EpochContext epoch)
    {
        if (epoch.Epoch != _resumeEpoch) return;
        if (_resumeGenerators is not null)
            throw new ReproException($"The checkpoint this run resumed from was taken after step {_resumeSkip} of epoch {epoch.Epoch}, " +
                $"but epoch {epoch.Epoch} ended after {epoch.StepInEpoch} steps: the check's steps changed since (data, batch size), " +
                "or it does not take every step of the epoch from context.Batches or context.Steps.");
        _resumeSums?.EpochEnded(epoch.Epoch);
        _resumeSums = null;
    }

    /// <summary>When the resumed epoch asks for its <paramref name="index"/>-th sums: the values the checkpoint holds for them.</summary>
    internal void RestoreSums(EpochContext epoch, int index, IReadOnlyList<string> names, Tensor values)
    {
        if (epoch.Epoch == _resumeEpoch) _resumeSums?.Restore(epoch.Epoch, index, names, values);
    }

    /// <summary>After the epoch's metrics were recorded: takes the end-of-epoch checkpoint when one is due.</summary>
    internal void EpochRecorded(EpochContext epoch)
    {
        // A step past the epoch's end never comes: say so instead of stopping at the end as if asked to.
        if (_options.StopAfter is { EndOfEpoch: false } beyond && beyond.Epoch == epoch.Epoch && beyond.Step > epoch.StepInEpoch)
            throw new ReproException($"--stop-after {beyond.Epoch}:{beyond.Step}: epoch {epoch.Epoch} has only {epoch.StepInEpoch} steps, so step {beyond.Step} never comes. " +
                $"Stop at {epoch.Epoch}:S with S at most {epoch.StepInEpoch}, or at the end of the epoch (--stop-after {epoch.Epoch}).");
        var stop = _options.StopAfter is { } at && at.Epoch == epoch.Epoch && (at.EndOfEpoch || at.Step >= epoch.StepInEpoch);
        var due = (_options.EveryEpochs > 0 && epoch.Epoch % _options.EveryEpochs == 0)
            || (_options.EverySteps > 0 && _context.Steps > 0 && _context.Steps % _options.EverySteps == 0 && _context.Steps != _lastWrittenSteps);
        if (!stop && !due) return;
        var position = CheckpointPosition.AfterEpoch(epoch.Epoch);
        var folder = Write(position, epoch.StepInEpoch, null, epoch.StopRequested, null);
        if (stop) throw new TrainingStoppedException(_check.Name, position, folder);
    }

    void ReachResumePoint(EpochContext epoch)
    {
        var replayed = Hex(_epochSamples);
        if (_resumeSamplesHash is not null && replayed != _resumeSamplesHash)
            throw new ReproException($"The first {_resumeSkip} steps of epoch {epoch.Epoch} saw other samples than the run that wrote the checkpoint: the data, " +
                "its order or the batching changed since, so resuming would not continue that run. Resume with the code and data that wrote it, or start again.");
        _resumeGenerators!.Restore();
        _resumeGenerators = null;
    }

    void AppendSamples(ReadOnlySpan<int> samples)
    {
        Span<byte> count = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(count, samples.Length);
        _epochSamples.Append(count);
        _epochSamples.Append(MemoryMarshal.AsBytes(samples));
    }

    static string Hex(XxHash128 hash) => Convert.ToHexStringLower(hash.GetCurrentHash());

    // epoch: the epoch a mid-epoch checkpoint is taken in (its sums go in); null at an epoch's end.
    string Write(CheckpointPosition position, int stepInEpoch, string? samplesHash, bool stopped, EpochContext? epoch)
    {
        if (_root is null) throw new InvalidOperationException("No checkpoint directory.");
        // First, before anything else can draw from them.
        var generators = GeneratorState.Capture(_context.Runtime.IsCuda);
        using var scope = NewDisposeScope();
        var model = _context.Model;
        var tensors = new List<SafeTensor>();
        foreach (var (name, value) in model.state_dict())
            tensors.Add(TensorBytes.ToSafeTensor(ModelPrefix + name, value));
        foreach (var (name, parameter) in model.named_parameters())
            if (parameter.grad is { } gradient)
                tensors.Add(TensorBytes.ToSafeTensor(GradientPrefix + name, gradient));
        tensors.AddRange(OptimizerCheckpoint.Capture(_check, _context.Optimizer));
        tensors.Add(new SafeTensor(CpuGenerator, "U8", [generators.Cpu.LongLength], generators.Cpu));
        var state = new CheckpointState(_context, position);
        _check.SaveState(state);
        tensors.AddRange(state.Tensors.Select(t => t with { Name = CheckPrefix + t.Name }));
        var (sumsRecords, sumsTensors) = EpochSumsCheckpoint.Capture(epoch);
        tensors.AddRange(sumsTensors);

        var record = new CheckpointPositionRecord(position.Epoch, stepInEpoch, position.EndOfEpoch, _context.Steps, _context.OptimizerSteps, stopped);
        var folder = CheckpointFolder.Write(_root, position, tensors, file => new CheckpointManifest
        {
            Format = CheckpointManifest.FormatName,
            SchemaVersion = CheckpointManifest.CurrentSchemaVersion,
            Check = _check.Name,
            ConfigHash = _configHash,
            Settings = _settings,
            Device = _context.Runtime.Device,
            EnvironmentKey = _environment.Key,
            Position = record,
            DataHash = _dataHash,
            InitialModelHash = _initialModelHash,
            Epochs = [.. _epochs],
            EpochSamplesHash = samplesHash,
            EpochSums = sumsRecords,
            Optimizer = new CheckpointOptimizerRecord(_optimizerKind, (_context.Optimizer as ReproAdamW)?.Steps ?? 0),
            CudaGenerator = generators.Cuda,
            CheckValues = state.Values,
            Trace = _context.Recorder.Snapshot(),
            Tensors = file,
        });
        _lastWrittenSteps = _context.Steps;
        CheckpointFolder.Prune(folder, _options.Keep);
        return folder;
    }

    void Validate(LoadedCheckpoint loaded)
    {
        var (folder, manifest) = (loaded.Folder, loaded.Manifest);
        string? problem = null;
        if (manifest.DataHash != _dataHash)
            problem = $"this run's data (hash {_dataHash}) differs from the checkpoint's ({manifest.DataHash}): the data files or the code that prepares them changed";
        else if (manifest.InitialModelHash != _initialModelHash)
            problem = $"this run's initial weights (hash {_initialModelHash}) differ from those of the run that wrote it ({manifest.InitialModelHash}): the model code changed";
        else if (manifest.Optimizer.Kind != _optimizerKind)
            problem = $"it holds the state of a {manifest.Optimizer.Kind} optimizer and this run trains with {_optimizerKind}";
        if (problem is not null)
            throw new ReproException($"Cannot resume from checkpoint {folder}: {problem}.");
    }

    void Restore(LoadedCheckpoint loaded)
    {
        var (manifest, tensors) = (loaded.Manifest, loaded.Tensors);
        var model = _context.Model;
        var state = model.state_dict();
        var stored = tensors.Keys.Where(k => k.StartsWith(ModelPrefix, StringComparison.Ordinal)).Select(k => k[ModelPrefix.Length..]).ToHashSet(StringComparer.Ordinal);
        if (!stored.SetEquals(state.Keys))
            throw new ReproException($"Cannot resume from checkpoint {loaded.Folder}: " +
                $"its model has the tensors [{string.Join(", ", stored.Except(state.Keys).Take(5))}] this one lacks and lacks [{string.Join(", ", state.Keys.Except(stored).Take(5))}]: " +
                "the model changed since it was written.");
        foreach (var (name, value) in state)
            TensorBytes.CopyInto(tensors[ModelPrefix + name], value, $"model tensor '{name}'");
        foreach (var (name, parameter) in model.named_parameters())
        {
            if (!tensors.TryGetValue(GradientPrefix + name, out var gradient)) continue;
            using var cpu = TensorBytes.ToTensor(gradient);
            if (!cpu.shape.SequenceEqual(parameter.shape) || cpu.dtype != parameter.dtype)
                throw new ReproException($"Cannot resume from checkpoint {loaded.Folder}: " +
                    $"the gradient of '{name}' is {cpu.dtype} [{string.Join(", ", cpu.shape)}] and the parameter {parameter.dtype} [{string.Join(", ", parameter.shape)}].");
            using var onDevice = cpu.to(parameter.device);
            // Into the existing gradient when there is one: with flat parameters it is a view of the
            // optimizer's gradient buffer, and a new tensor would detach it from that buffer.
            if (parameter.grad is { } existing) existing.copy_(onDevice);
            else parameter.grad = onDevice;
        }
        OptimizerCheckpoint.Restore(_check, _context.Optimizer, tensors, manifest.Optimizer.ReproAdamWSteps);
        _context.Steps = manifest.Position.Steps;
        _context.OptimizerSteps = manifest.Position.OptimizerSteps;
        _epochs.AddRange(manifest.Epochs);
        if (manifest.Trace is { } trace) _context.Recorder.Restore(trace);
        var checkTensors = tensors.Values.Where(t => t.Name.StartsWith(CheckPrefix, StringComparison.Ordinal)).Select(t => t with { Name = t.Name[CheckPrefix.Length..] });
        _check.LoadState(new CheckpointState(_context, manifest.ToPosition(), checkTensors, manifest.CheckValues));
    }
}
