using System.Globalization;
using static TorchSharp.torch;

namespace Repro.Tests.Support.Causes;

// Results that depend on how work is split over cores or threads.

/// <summary>
/// Feature statistics summed in parallel, one float partial sum per core, combined in core order:
/// identical on every run of one machine, different on a machine with another core count.
/// </summary>
public sealed class PartitionedReduction : RegressionCheck
{
    protected override float[] FeatureStatistics(IReadOnlyList<Unit> units)
    {
        var statistics = new float[2 * Features];
        for (var f = 0; f < Features; f++)
        {
            var values = Column(units, f);
            var mean = Sum(values, v => v) / values.Length;
            statistics[f] = mean;
            statistics[Features + f] = MathF.Sqrt(Sum(values, v => (v - mean) * (v - mean)) / values.Length);
        }
        return statistics;
    }

    static float Sum(float[] values, Func<float, float> term)
    {
        var parts = Environment.ProcessorCount;
        var partial = new float[parts];
        Parallel.For(0, parts, p =>
        {
            for (var i = p * values.Length / parts; i < (p + 1) * values.Length / parts; i++) partial[p] += term(values[i]);
        });
        var total = 0f;
        foreach (var part in partial) total += part;
        return total;
    }
}

/// <summary>Feature statistics summed over the rows in whatever order a concurrent collection hands them out (here: shuffled by Random.Shared).</summary>
public sealed class UnorderedSummation : RegressionCheck
{
    protected override float[] FeatureStatistics(IReadOnlyList<Unit> units)
    {
        var statistics = new float[2 * Features];
        for (var f = 0; f < Features; f++)
        {
            var values = Column(units, f).OrderBy(_ => Random.Shared.Next()).ToArray();
            (statistics[f], statistics[Features + f]) = Moments(values);
        }
        return statistics;
    }
}

/// <summary>"Use every core": sets torch's thread count from the machine inside the training.</summary>
public sealed class ThreadsFromProcessorCount : RegressionCheck
{
    protected internal override Metrics TrainEpoch(EpochContext context)
    {
        set_num_threads(Environment.ProcessorCount);
        return base.TrainEpoch(context);
    }
}

/// <summary>Sets one intra-op thread inside the training ("single-threaded is deterministic"), after the harness pinned its own count.</summary>
public sealed class OneThreadInTraining : RegressionCheck
{
    protected internal override Metrics TrainEpoch(EpochContext context)
    {
        set_num_threads(1);
        return base.TrainEpoch(context);
    }
}

/// <summary>
/// Input noise added by data workers, each with its own generator seeded by its worker index ("seeded,
/// so reproducible"): every run with 4 workers is identical, a run with another worker count is not.
/// </summary>
public sealed class WorkerSeededNoise : RegressionCheck
{
    const int ConfiguredWorkers = 4;
    Random[] _workers = [];
    int _epoch;

    protected override Tensor PrepareBatch(Tensor inputs, EpochContext context)
    {
        var count = context.Training.DataWorkers(ConfiguredWorkers);
        if (_epoch != context.Epoch || _workers.Length != count)
        {
            _epoch = context.Epoch;
            _workers = [.. Enumerable.Range(0, count).Select(w => new Random((int)context.Training.Seed + 1000 * context.Epoch + w))];
        }
        var values = inputs.cpu().data<float>().ToArray();
        var rows = values.Length / Features;
        Parallel.For(0, count, w =>
        {
            var random = _workers[w];
            for (var i = w * rows / count * Features; i < (w + 1) * rows / count * Features; i++) values[i] += 0.05f * (float)(random.NextDouble() - 0.5);
        });
        return tensor(values, [rows, Features]).to(inputs.device);
    }
}

/// <summary>
/// Per-feature means computed the way a CSV loader "made fast" does: each field parsed inside
/// <c>Parallel.For</c>, the value added to the total under a <c>lock</c>. The additions come in whatever
/// order the threads finish parsing, so the float sum moves at rounding level between preparations and
/// between processes.
/// </summary>
public sealed class LockedParallelSum : RegressionCheck
{
    protected override float[] FeatureStatistics(IReadOnlyList<Unit> units)
    {
        var statistics = new float[2 * Features];
        for (var f = 0; f < Features; f++)
        {
            var fields = Array.ConvertAll(Column(units, f), v => v.ToString("R", CultureInfo.InvariantCulture));
            var values = new float[fields.Length];
            var sum = 0f;
            var gate = new object();
            Parallel.For(0, fields.Length, i =>
            {
                values[i] = float.Parse(fields[i], CultureInfo.InvariantCulture);
                lock (gate) sum += values[i];
            });
            var mean = sum / values.Length;
            var variance = 0f;
            foreach (var v in values) variance += (v - mean) * (v - mean);
            (statistics[f], statistics[Features + f]) = (mean, MathF.Sqrt(variance / values.Length));
        }
        return statistics;
    }
}

/// <summary>
/// The completion-order reduction of <see cref="LockedParallelSum"/> made repeatable for the doctor's own
/// evidence: some data preparations in the process sum the columns backwards (what another thread
/// interleaving gives), which moves the statistics at rounding level only.
/// </summary>
public abstract class ReversedSumCheck : RegressionCheck
{
    /// <summary>Whether this preparation sums backwards.</summary>
    protected abstract bool Reversed();

    protected override float[] FeatureStatistics(IReadOnlyList<Unit> units)
    {
        var reversed = Reversed();
        var statistics = new float[2 * Features];
        for (var f = 0; f < Features; f++)
        {
            var values = Column(units, f);
            if (reversed) Array.Reverse(values);
            (statistics[f], statistics[Features + f]) = Moments(values);
        }
        return statistics;
    }
}

/// <summary>Every third data preparation in the process sums backwards: two trainings agree, the third preparation does not.</summary>
public sealed class SometimesReversedSum : ReversedSumCheck
{
    static int _preparations;

    protected override bool Reversed() => Interlocked.Increment(ref _preparations) % 3 == 0;
}

/// <summary>Every second data preparation sums backwards: the doctor's two trainings differ at rounding level.</summary>
public sealed class AlternatelyReversedSum : ReversedSumCheck
{
    static int _preparations;

    protected override bool Reversed() => Interlocked.Increment(ref _preparations) % 2 == 0;
}

/// <summary>
/// <see cref="AlternatelyReversedSum"/> in a check that records no data stages: only the first step's model
/// input shows the rounding-level move.
/// </summary>
public sealed class UnrecordedAlternatelyReversedSum : ReversedSumCheck
{
    static int _preparations;

    protected override bool RecordsDataStages => false;

    protected override bool Reversed() => Interlocked.Increment(ref _preparations) % 2 == 0;
}

/// <summary>
/// The first process to prepare the data (it creates the file named by <see cref="MarkerVariable"/>) sums
/// forwards, every later process backwards: what a reduction settled once per process by how its threads
/// warm up gives. Runs of one process agree; processes differ at rounding level from equal units.
/// </summary>
public sealed class ProcessOrderedSum : ReversedSumCheck
{
    /// <summary>A file path shared by the processes of one test; unset, every process sums forwards.</summary>
    public const string MarkerVariable = "REPRO_TEST_SUM_MARKER";

    static readonly Lazy<bool> Later = new(() =>
    {
        if (Environment.GetEnvironmentVariable(MarkerVariable) is not { Length: > 0 } marker) return false;
        try
        {
            using var created = new FileStream(marker, FileMode.CreateNew);
            return false;
        }
        catch (IOException) when (File.Exists(marker))
        {
            return true;
        }
    });

    protected override bool Reversed() => Later.Value;
}
