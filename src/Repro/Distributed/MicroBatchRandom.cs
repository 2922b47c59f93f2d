using System.Globalization;

namespace Repro.Advanced;

/// <summary>
/// Seeds for randomness inside a micro-batch (dropout masks, augmentation) that depend on which micro-batch it is,
/// never on which rank computes it or what that rank did before: what the world-size-invariant mode requires of a
/// model that draws random numbers while training (docs/distributed.md).
/// </summary>
public static class MicroBatchRandom
{
    /// <summary>Name of the random stream the seeds derive from.</summary>
    public const string StreamName = "micro-batch";

    /// <summary>
    /// A seed for micro-batch <paramref name="microBatch"/> of global step <paramref name="step"/> in
    /// <paramref name="epoch"/>, e.g. for <c>new torch.Generator(seed)</c>; the same on every rank and world size.
    /// </summary>
    public static long Seed(long seed, int epoch, long step, int microBatch) =>
        (long)(RandomStreams.DeriveSeed(seed, string.Create(CultureInfo.InvariantCulture, $"{StreamName}#{epoch}#{step}#{microBatch}")) >> 1);
}
