using Repro.Advanced;

namespace Repro.DualTask;

/// <summary>
/// <c>config.json</c> of a replay export: the training configuration and every value derived from it
/// that the PyTorch replay needs but cannot recompute without this code (the training seed, the batch
/// order of each epoch).
/// </summary>
/// <param name="Format">Always <see cref="ReplayExport.Format"/>.</param>
/// <param name="FormatVersion">Bumped when a field changes meaning; the script refuses versions it does not know.</param>
/// <param name="Config">The configuration, as canonical JSON (the form the config hash is taken over).</param>
/// <param name="ConfigHash">Fingerprint config hash of <paramref name="Config"/>.</param>
/// <param name="TrainingSeed"><see cref="TrainingHarness.TrainingSeed"/> of the seed: torch.manual_seed after the weights are initialised.</param>
/// <param name="Device">"cpu" or "cuda": where the TorchSharp side trained, and where the replay should.</param>
/// <param name="Epochs">Configured epochs (early stopping may end sooner).</param>
/// <param name="InitialModelHash">Fingerprint hash of initial.safetensors' weights.</param>
/// <param name="DataHash">Fingerprint hash of data.safetensors' splits.</param>
/// <param name="StateDictKeys">state_dict keys in module order, as in initial.safetensors.</param>
/// <param name="BatchOrder">Per epoch, the sample permutation the trainer cuts into batches of <c>BatchSize</c>.</param>
public sealed record ReplayManifest(
    string Format,
    int FormatVersion,
    DualTaskConfig Config,
    string ConfigHash,
    long TrainingSeed,
    string Device,
    int Epochs,
    string InitialModelHash,
    string DataHash,
    IReadOnlyList<string> StateDictKeys,
    IReadOnlyList<ReplayEpochOrder> BatchOrder);

/// <summary>One epoch's sample order: the tensor in order.safetensors and the same indices inline.</summary>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="Tensor">Name of the int32 tensor in order.safetensors.</param>
/// <param name="Hash">The fingerprint's batch-order hash of this epoch.</param>
/// <param name="Permutation">Training-window indices in the order batches take them.</param>
public sealed record ReplayEpochOrder(int Epoch, string Tensor, string Hash, IReadOnlyList<int> Permutation);
