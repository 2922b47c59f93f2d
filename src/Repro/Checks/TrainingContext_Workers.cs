using System.Globalization;

namespace Repro;

public sealed partial class TrainingContext
{
    /// <summary>
    /// The number of data workers (loader threads, preprocessing partitions) to use: <paramref name="configured"/>,
    /// except in the doctor's data-workers perturbation run, which trains with another count (1 when
    /// <paramref name="configured"/> is more than 1, else <see cref="PerturbedDataWorkers"/>) and demands the same
    /// fingerprint. Ask for the count here instead of using your setting directly, and the doctor finds
    /// results that depend on how the data work is split (per-worker random generators, results combined in
    /// completion order) although every run with one count is identical.
    /// </summary>
    /// <param name="configured">The count your configuration asks for; at least 1.</param>
    public int DataWorkers(int configured)
    {
        if (configured < 1)
            throw new ReproException($"TrainingContext.DataWorkers({configured}): the configured data-worker count must be at least 1.");
        AskedForDataWorkers = true;
        if (System.Environment.GetEnvironmentVariable(Perturbation.DataWorkersVariable) != "1") return configured;
        return configured > 1 ? 1 : PerturbedDataWorkers;
    }

    // Whether the check asked for data workers: only then may a cause name them.
    internal bool AskedForDataWorkers { get; private set; }

    /// <summary>The count a perturbed run uses when the check is configured for a single worker.</summary>
    internal const int PerturbedDataWorkers = 4;

    internal static string DescribeDataWorkers() =>
        $"data workers 1 vs N (TrainingContext.DataWorkers gives 1 instead of N, {PerturbedDataWorkers.ToString(CultureInfo.InvariantCulture)} instead of 1; {Perturbation.DataWorkersVariable})";
}
