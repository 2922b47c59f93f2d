using System.IO.Hashing;
using System.Text;

namespace Repro.Advanced;

/// <summary>
/// Named, independent random streams derived from one master seed. <c>Random.Shared</c> cannot be
/// seeded; code that needs .NET randomness asks for a stream by name instead, and gets the same
/// sequence for the same (seed, name) in every process.
/// </summary>
public static class RandomStreams
{
    /// <summary>A fresh generator for (seed, name); two calls with the same arguments give the same sequence.</summary>
    public static StableRandom Create(long seed, string name) => new(DeriveSeed(seed, name));

    /// <summary>A fresh generator for (seed, name, index), e.g. one per unit, epoch or worker.</summary>
    public static StableRandom Create(long seed, string name, long index) => new(DeriveSeed(seed, name + "#" + index.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>Stable 64-bit seed for a named stream (XxHash64 of the name, keyed by the master seed).</summary>
    public static ulong DeriveSeed(long seed, string name) => XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(name), seed);
}
