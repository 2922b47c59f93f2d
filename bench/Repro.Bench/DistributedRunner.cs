using System.Diagnostics;
using System.Globalization;
using static TorchSharp.torch;

namespace Repro.Bench;

// The CPU cost of the world-size-invariant reduction (docs/distributed.md): (1) the fixed pairwise tree
// over M micro-batch gradients against a left-to-right sum of the same buffers, both in place, on one thread; (2) one
// step's reduction through GradientReducer in a simulated world of 1, 2, 4 and 8 ranks, invariant mode
// (keep each micro-batch's gradient, all-gather, tree) against all-reduce mode (accumulate, one all-reduce),
// for a gradient buffer the size of the config's model. Round-robin, medians over rounds.
internal static class DistributedRunner
{
    internal static void Run(string[] args)
    {
        var options = new BenchArgs(args);
        Determinism.Apply(new DeterminismOptions { Device = DeviceRequest.Cpu, IntraOpThreads = options.Int("threads", 2) });
        var config = options.Config();
        long elements;
        using (var model = new DualTaskModel(config.Model)) elements = model.parameters().Sum(p => p.NumberOfElements);
        elements = options.Int("elements", (int)elements);
        var microBatches = options.Int("micro-batches", 8);
        var rounds = options.Int("rounds", 5);
        var steps = options.Int("steps", 20);
        Console.WriteLine($"Gradient buffer: {elements:N0} float32 ({config.Name} model), {microBatches} micro-batches, {rounds} rounds x {steps} steps, CPU threads {options.Int("threads", 2)}");

        var random = new Generator(1);
        var leaves = Enumerable.Range(0, microBatches).Select(_ => randn([elements], generator: random)).ToList();
        // Both sums run in place on working copies of the leaves (what the reducer keeps), restored before each one.
        var work = leaves.Select(l => l.clone()).ToList();
        void Restore()
        {
            for (var m = 0; m < microBatches; m++) work[m].copy_(leaves[m]);
        }
        var tree = new List<double>();
        var plain = new List<double>();
        // Alternating single steps, so a burst of load on a shared machine falls on both alike.
        for (var i = 0; i < rounds * steps; i++)
        {
            tree.Add(PerStep(1, () => { Restore(); FixedOrderSum.SumInPlace(work); }));
            plain.Add(PerStep(1, () =>
            {
                Restore();
                foreach (var leaf in work.Skip(1)) work[0].add_(leaf);
            }));
        }
        Console.WriteLine(Line($"restore {microBatches} leaves + fixed tree", tree));
        Console.WriteLine(Line($"restore {microBatches} leaves + left-to-right sum", plain) + $"  tree/plain {Median(tree) / Median(plain):F2}x");

        foreach (var worldSize in new[] { 1, 2, 4, 8 }.Where(w => w <= microBatches && microBatches % w == 0))
        {
            var invariant = new List<double>();
            var allReduce = new List<double>();
            for (var round = 0; round < rounds; round++)
            {
                invariant.Add(ReductionPerStep(worldSize, microBatches, elements, steps, DistributedMode.WorldSizeInvariant, leaves));
                allReduce.Add(ReductionPerStep(worldSize, microBatches, elements, steps, DistributedMode.AllReduce, leaves));
            }
            Console.WriteLine(Line($"world {worldSize}: invariant (keep, all-gather, tree)", invariant));
            Console.WriteLine(Line($"world {worldSize}: all-reduce (accumulate, all-reduce)", allReduce) + $"  invariant/all-reduce {Median(invariant) / Median(allReduce):F2}x");
        }
        foreach (var leaf in leaves.Concat(work)) leaf.Dispose();
    }

    static double PerStep(int steps, Action action)
    {
        action();
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < steps; i++) action();
        return watch.Elapsed.TotalMilliseconds / steps;
    }

    // Milliseconds per step, rank 0's clock, for what the reducer adds to a step: the gradient a micro-batch's
    // backward left is copied into the flat buffer (standing for backward), then BeginMicroBatch/Keep per
    // micro-batch and Reduce once. The copy is timed in both modes alike.
    static double ReductionPerStep(int worldSize, int microBatches, long elements, int steps, DistributedMode mode, List<Tensor> leaves)
    {
        var times = new SimulatedWorld(worldSize).Run(communicator =>
        {
            using var parameter = new TorchSharp.Modules.Parameter(zeros(elements), requires_grad: true);
            using var flat = FlatParameters.Create([("w", parameter)]);
            var split = MicroBatchSplit.Create(microBatches, worldSize);
            using var reducer = new GradientReducer(communicator, flat, split, mode);
            var (offset, count) = split.Block(communicator.Rank).GetOffsetAndLength(microBatches);
            using (var first = parameter.sum()) first.backward();
            void Step()
            {
                for (var m = offset; m < offset + count; m++)
                {
                    reducer.BeginMicroBatch();
                    using (no_grad()) flat.Layout[0].GradientViews[0].add_(leaves[m]);
                    reducer.Keep();
                }
                reducer.Reduce();
            }
            Step();
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < steps; i++) Step();
            return watch.Elapsed.TotalMilliseconds / steps;
        });
        return times[0];
    }

    static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    static string Line(string name, List<double> values) => string.Create(CultureInfo.InvariantCulture,
        $"{name,-52} median {Median(values),8:F3} ms/step  min {values.Min(),8:F3}  max {values.Max(),8:F3}");
}
