using System.Collections.Immutable;
using static TorchSharp.torch;

namespace Repro.DualTask;

// Every injected fault of the doctor's catalogue, each a few lines at the one spot where that
// mistake happens in real code. With InjectedFault.None every method returns its input unchanged,
// so ordinary runs are untouched.
internal static class FaultInjection
{
    // The DataLoader pitfall: a generator created once per process and shared by every training.
    static readonly StableRandom SharedOrder = new(42);
    static readonly Lock SharedOrderGate = new();
    static int _perturbedTrainings;

    internal static DeterminismOptions Determinism(InjectedFault fault, DeterminismOptions options) => fault switch
    {
        InjectedFault.ThreadCountChanged => options with { IntraOpThreads = options.IntraOpThreads == 1 ? 2 : 1 },
        InjectedFault.CudnnNondeterministic => options with { CudnnBenchmark = true, CudnnDeterministic = false },
        InjectedFault.AtomicsKernel => options with { DeterministicAlgorithms = false },
        InjectedFault.Tf32Enabled => options with { AllowTF32 = true },
        _ => options,
    };

    /// <summary>Runs inside the training guard, before anything else.</summary>
    internal static void TrainingStarted(DualTaskConfig config)
    {
        if (config.Fault != InjectedFault.ConcurrentTraining) return;
        // What a parallel test runner does: a second training on another thread, sharing libtorch's globals.
        Task.Run(() => Trainer.Train(config with { Fault = InjectedFault.None, Name = config.Name + " (concurrent)" })).GetAwaiter().GetResult();
    }

    internal static CmapssDataset Dataset(InjectedFault fault, CmapssDataset data)
    {
        switch (fault)
        {
            case InjectedFault.UnseededDataRandomness:
            {
                var first = data.Train[0];
                var values = first.Values.ToArray();
                values[EngineRun.SettingCount + 1] += (float)new Random().NextDouble();
                return new CmapssDataset(data.Name, [new EngineRun(first.Unit, first.Cycles, values), .. data.Train.Skip(1)], data.Test, data.TestRul);
            }
            case InjectedFault.ProcessRandomisedHashing:
            {
                // ImmutableHashSet enumerates in hash-code order, and string hash codes are seeded per process.
                var byName = data.Train.ToDictionary(r => "unit-" + r.Unit.ToString(System.Globalization.CultureInfo.InvariantCulture));
                var ordered = ImmutableHashSet.CreateRange(byName.Keys).Select(name => byName[name]).ToArray();
                var renumbered = ordered.Select((r, i) => new EngineRun(i + 1, r.Cycles, r.Values)).ToArray();
                return new CmapssDataset(data.Name, renumbered, data.Test, data.TestRul);
            }
            default:
                return data;
        }
    }

    /// <summary>Called right after the model generator is seeded, before the model is built.</summary>
    internal static void BeforeModelInit(InjectedFault fault)
    {
        if (fault == InjectedFault.UnseededTorchGenerator) random.seed();
    }

    internal static IModelFault? ModelFault(InjectedFault fault) => fault switch
    {
        InjectedFault.AtomicsKernel => new AtomicsStage(),
        InjectedFault.PerturbedLstmOnRerun when Interlocked.Increment(ref _perturbedTrainings) % 2 == 0 => new LstmPerturbation(),
        _ => null,
    };

    internal static int[] EpochOrder(InjectedFault fault, int[] order)
    {
        if (fault != InjectedFault.StatefulBatchOrder) return order;
        lock (SharedOrderGate) SharedOrder.ShuffleInPlace(order.AsSpan());
        return order;
    }

    internal static void PrepareBatch(InjectedFault fault, float[] inputs)
    {
        if (fault != InjectedFault.UnseededBatchWorkers) return;
        using var generators = new ThreadLocal<Random>(() => new Random());
        const int Chunk = 1024;
        Parallel.For(0, (inputs.Length + Chunk - 1) / Chunk, c =>
        {
            var rng = generators.Value!;
            for (var i = c * Chunk; i < Math.Min(inputs.Length, (c + 1) * Chunk); i++) inputs[i] += (float)(1e-3 * (rng.NextDouble() - 0.5));
        });
    }

    sealed class LstmPerturbation : IModelFault
    {
        public string? InsertedStage => null;

        public Tensor AfterLstm(Tensor sequence) => sequence + 1e-4 * rand_like(sequence);

        public Tensor Inserted(Tensor pooled) => pooled;
    }

    // index_add_ of the whole batch into one row: on CUDA every row is added with atomics to the same
    // addresses, so the summation order (and the last bits) change from run to run unless
    // deterministic algorithms are on.
    sealed class AtomicsStage : IModelFault
    {
        public string? InsertedStage => "index_add";

        public Tensor AfterLstm(Tensor sequence) => sequence;

        public Tensor Inserted(Tensor pooled)
        {
            var total = zeros(1, pooled.shape[1], dtype: pooled.dtype, device: pooled.device);
            var index = zeros(pooled.shape[0], dtype: ScalarType.Int64, device: pooled.device);
            return pooled + 1e-2 * total.index_add_(0, index, pooled, 1);
        }
    }
}

/// <summary>A fault inside the model's forward pass (see <see cref="FaultInjection"/>).</summary>
internal interface IModelFault
{
    /// <summary>Name of a stage inserted after <c>pool</c>, or null for none.</summary>
    string? InsertedStage { get; }

    Tensor AfterLstm(Tensor sequence);

    Tensor Inserted(Tensor pooled);
}
