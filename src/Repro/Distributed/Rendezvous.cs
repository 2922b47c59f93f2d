using System.Globalization;

namespace Repro;

// What the launcher hands each rank's process: its rank, the world size, the mode and micro-batch count
// it was validated against, and NCCL's unique id (128 bytes, hex), through environment variables so the
// child's command line stays the one the user typed (less --gpus).
internal sealed record Rendezvous(int Rank, int WorldSize, Native.Nccl.UniqueId UniqueId, DistributedMode Mode, int MicroBatches)
{
    internal const string RankVariable = "REPRO_RANK", WorldSizeVariable = "REPRO_WORLD_SIZE", UniqueIdVariable = "REPRO_NCCL_UNIQUE_ID",
        ModeVariable = "REPRO_DISTRIBUTED_MODE", MicroBatchesVariable = "REPRO_MICRO_BATCHES";

    internal static readonly string[] Variables = [RankVariable, WorldSizeVariable, UniqueIdVariable, ModeVariable, MicroBatchesVariable];

    internal IReadOnlyDictionary<string, string> ToEnvironment() => new Dictionary<string, string>
    {
        [RankVariable] = Rank.ToString(CultureInfo.InvariantCulture),
        [WorldSizeVariable] = WorldSize.ToString(CultureInfo.InvariantCulture),
        [UniqueIdVariable] = Hex(UniqueId),
        [ModeVariable] = ModeName(Mode),
        [MicroBatchesVariable] = MicroBatches.ToString(CultureInfo.InvariantCulture),
    };

    static string Hex(Native.Nccl.UniqueId id) => Convert.ToHexStringLower((ReadOnlySpan<byte>)id);

    internal static string ModeName(DistributedMode mode) => mode == DistributedMode.AllReduce ? "all-reduce" : "world-size-invariant";

    // This process's rank when a launcher started it; null in a process nobody launched as a rank.
    internal static Rendezvous? FromEnvironment(Func<string, string?> read)
    {
        var present = Variables.Where(v => read(v) is { Length: > 0 }).ToList();
        if (present.Count == 0) return null;
        if (present.Count != Variables.Length)
            throw new ReproException($"{string.Join(", ", present)} set without {string.Join(", ", Variables.Except(present))}: " +
                "these variables are set together by 'repro run --gpus N' for the processes it starts; unset them to train on one device.");
        var worldSize = Number(read, WorldSizeVariable, 1);
        var rank = Number(read, RankVariable, 0);
        if (rank >= worldSize) throw new ReproException($"{RankVariable}={rank} is outside {WorldSizeVariable}={worldSize} (ranks 0..{worldSize - 1}).");
        var hex = read(UniqueIdVariable)!;
        byte[] bytes;
        try { bytes = Convert.FromHexString(hex); }
        catch (FormatException) { bytes = []; }
        if (bytes.Length != 128) throw new ReproException($"{UniqueIdVariable} must be NCCL's 128-byte unique id as 256 hex digits, not {hex.Length} characters; it is set by the launcher, " +
            "do not set it by hand.");
        var id = new Native.Nccl.UniqueId();
        bytes.CopyTo((Span<byte>)id);
        var mode = read(ModeVariable) switch
        {
            "all-reduce" => DistributedMode.AllReduce,
            "world-size-invariant" => DistributedMode.WorldSizeInvariant,
            var other => throw new ReproException($"{ModeVariable}='{other}' is not a mode; use all-reduce or world-size-invariant."),
        };
        return new Rendezvous(rank, worldSize, id, mode, Number(read, MicroBatchesVariable, 1));
    }

    static int Number(Func<string, string?> read, string variable, int minimum)
    {
        var text = read(variable);
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < minimum)
            throw new ReproException($"{variable}='{text}' must be a whole number of at least {minimum}; it is set by 'repro run --gpus N'.");
        return value;
    }
}
