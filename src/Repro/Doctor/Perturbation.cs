using System.Globalization;

namespace Repro;

/// <summary>What one perturbed second-process run showed.</summary>
/// <param name="Name">The perturbation, e.g. "processor count 8 (DOTNET_PROCESSOR_COUNT)".</param>
/// <param name="Kind">"processor-count", "thread-pool", "data-workers", "environment-order", "gc-mode", "culture", "vector-width", "clock", or "combined" for all at once.</param>
/// <param name="Identical">Whether the perturbed run's fingerprint equals this process's run; null when it was not run on its own.</param>
/// <param name="FirstMovedState">Where the perturbed run first differed, when it did and both runs carry a trace.</param>
/// <param name="Failure">Why the perturbed run failed, when it did (that, too, means the perturbation matters).</param>
internal sealed record PerturbationResult(string Name, string Kind, bool? Identical, MovedState? FirstMovedState = null, string? Failure = null);

// A change to the doctor's second process that must not change a reproducible training: the process's
// view of the machine (processor count), thread-pool scheduling, the data-worker count a check asks
// for through TrainingContext.DataWorkers, the order of the environment block, the GC mode, the
// culture, .NET's SIMD width and the local time the clock tells user code (the time zone). Each is an environment variable the runtime (or, for data workers, Repro) reads.
internal sealed record Perturbation(string Kind, string Name, IReadOnlyDictionary<string, string> Variables, bool ReverseEnvironment = false)
{
    internal const string ProcessorCountVariable = "DOTNET_PROCESSOR_COUNT";
    // Repro-internal: set only in the doctor's perturbed process, read by TrainingContext.DataWorkers.
    internal const string DataWorkersVariable = "REPRO_PERTURB_DATA_WORKERS";
    internal const string ProcessorCount = "processor-count", ThreadPool = "thread-pool", DataWorkers = "data-workers", EnvironmentOrder = "environment-order", GcMode = "gc-mode", Culture = "culture", VectorWidth = "vector-width", Clock = "clock", Combined = "combined";

    /// <summary>The standard set, each chosen to differ from this process.</summary>
    internal static IReadOnlyList<Perturbation> Standard()
    {
        var processors = System.Environment.ProcessorCount;
        // More cores than here: what a large CI runner does to anything that partitions work by core count.
        var count = Math.Max(8, processors * 4).ToString(CultureInfo.InvariantCulture);
        var serverGc = System.Runtime.GCSettings.IsServerGC ? "0" : "1";
        var culture = CultureInfo.CurrentCulture.Name == "de-DE" ? "en-US.UTF-8" : "de_DE.UTF-8";
        // What an unpinned AVX-512 machine does (or, on a CPU without AVX-512, an SSE-only width).
        var width = CpuProfile.ManagedVectorBits() != CpuProfile.PortableVectorBits ? CpuProfile.PortableVectorBits.ToString(CultureInfo.InvariantCulture) : System.Runtime.Intrinsics.X86.Avx512F.IsSupported ? "512" : "128";
        return
        [
            new(ProcessorCount, $"processor count {count} ({ProcessorCountVariable})", new Dictionary<string, string> { [ProcessorCountVariable] = count }),
            new(ThreadPool, "thread-pool minimum of 64 worker threads (DOTNET_ThreadPool_ForceMinWorkerThreads)", new Dictionary<string, string> { ["DOTNET_ThreadPool_ForceMinWorkerThreads"] = "40" }),
            new(DataWorkers, TrainingContext.DescribeDataWorkers(), new Dictionary<string, string> { [DataWorkersVariable] = "1" }),
            new(EnvironmentOrder, "environment variables in reverse order", new Dictionary<string, string>(), ReverseEnvironment: true),
            new(GcMode, $"{(serverGc == "1" ? "server" : "workstation")} GC (DOTNET_gcServer={serverGc})", new Dictionary<string, string> { ["DOTNET_gcServer"] = serverGc }),
            new(Culture, $"culture {culture[..5].Replace('_', '-')} (LANG, LC_ALL)", new Dictionary<string, string> { ["LANG"] = culture, ["LC_ALL"] = culture }),
            new(VectorWidth, $".NET SIMD width {width} bits ({CpuProfile.VectorWidthVariable}={width})", new Dictionary<string, string> { [CpuProfile.VectorWidthVariable] = width }),
            .. ClockShift() is { } clock ? [clock] : Array.Empty<Perturbation>(),
        ];
    }

    // A time zone whose offset from this one is not a whole number of hours, so that DateTime.Now's hour
    // and minute both move (.NET reads TZ). Shifting the clock itself (libfaketime) is left out: it is not
    // part of a standard machine, and a perturbation that exists only on some machines is no evidence.
    // Null where the zone files are missing (.NET would fall back to UTC and nothing would move).
    internal static Perturbation? ClockShift()
    {
        var here = TimeZoneInfo.Local.GetUtcOffset(DateTime.UtcNow);
        foreach (var zone in ClockZones)
        {
            TimeZoneInfo info;
            try
            {
                info = TimeZoneInfo.FindSystemTimeZoneById(zone);
            }
            catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
            {
                continue;
            }
            var offset = info.GetUtcOffset(DateTime.UtcNow);
            var shift = offset - here;
            if (shift.Minutes == 0) continue;
            return new(Clock, $"local time {(shift < TimeSpan.Zero ? "-" : "+")}{shift.Duration():h\\:mm} (TZ={zone}, UTC{(offset < TimeSpan.Zero ? "-" : "+")}{offset.Duration():hh\\:mm})",
                new Dictionary<string, string> { [TimeZoneVariable] = zone });
        }
        return null;
    }

    internal const string TimeZoneVariable = "TZ";
    static readonly string[] ClockZones = ["Asia/Kathmandu", "Pacific/Chatham", "Asia/Kolkata"];

    /// <summary>All of them in one process: one run when nothing changes, a bisection when something does.</summary>
    internal static Perturbation Combine(IReadOnlyList<Perturbation> perturbations) => new(
        Combined,
        "all perturbations at once (" + string.Join("; ", perturbations.Select(p => p.Name)) + ")",
        perturbations.SelectMany(p => p.Variables).ToDictionary(v => v.Key, v => v.Value),
        perturbations.Any(p => p.ReverseEnvironment));

    internal void ApplyTo(IDictionary<string, string?> environment)
    {
        foreach (var (name, value) in Variables) environment[name] = value;
        if (!ReverseEnvironment) return;
        var entries = environment.ToList();
        environment.Clear();
        for (var i = entries.Count - 1; i >= 0; i--) environment[entries[i].Key] = entries[i].Value;
    }
}
