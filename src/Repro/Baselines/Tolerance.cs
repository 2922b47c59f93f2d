using System.Globalization;

namespace Repro;

/// <summary>
/// How far a metric may move and still pass. Exact (the default) means bitwise equal; the others
/// pass when any one of the given bounds holds.
/// </summary>
public sealed record Tolerance
{
    public double? Absolute { get; init; }
    public double? Relative { get; init; }
    public long? Ulps { get; init; }

    public static Tolerance Exact { get; } = new();

    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsExact => Absolute is null && Relative is null && Ulps is null;

    public static Tolerance Abs(double value) => new() { Absolute = Check(value, nameof(Absolute)) };

    public static Tolerance Rel(double value) => new() { Relative = Check(value, nameof(Relative)) };

    public static Tolerance InUlps(long value) => value >= 0 ? new() { Ulps = value } : throw new ReproException($"Tolerance.Ulps={value} must not be negative.");

    public bool Accepts(double baseline, double current)
    {
        if (BitConverter.DoubleToInt64Bits(baseline) == BitConverter.DoubleToInt64Bits(current)) return true;
        if (IsExact || double.IsNaN(baseline) || double.IsNaN(current)) return false;
        var difference = Math.Abs(current - baseline);
        if (Absolute is { } a && difference <= a) return true;
        if (Relative is { } r && difference <= r * Math.Abs(baseline)) return true;
        if (Ulps is { } u && UlpDistance(baseline, current) <= u) return true;
        return false;
    }

    /// <summary>Distance in representable doubles; the sign bit is folded so -0 and +0 are 0 apart.</summary>
    public static long UlpDistance(double a, double b)
    {
        static long Ordered(double x)
        {
            var bits = BitConverter.DoubleToInt64Bits(x);
            return bits < 0 ? long.MinValue - bits : bits;
        }
        var d = (decimal)Ordered(a) - Ordered(b);
        return d > long.MaxValue || d < -long.MaxValue ? long.MaxValue : (long)Math.Abs(d);
    }

    public override string ToString()
    {
        if (IsExact) return "exact";
        var parts = new List<string>();
        if (Absolute is { } a) parts.Add("abs " + a.ToString("G4", CultureInfo.InvariantCulture));
        if (Relative is { } r) parts.Add("rel " + r.ToString("G4", CultureInfo.InvariantCulture));
        if (Ulps is { } u) parts.Add(u.ToString(CultureInfo.InvariantCulture) + " ulps");
        return string.Join(" or ", parts);
    }

    static double Check(double value, string name) =>
        value >= 0 && double.IsFinite(value) ? value : throw new ReproException($"Tolerance.{name}={value} must be a finite, non-negative number.");
}
