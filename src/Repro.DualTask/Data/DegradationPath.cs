namespace Repro.DualTask;

/// <summary>
/// One unit's health index after Saxena et al. (2008): <c>h(t) = 1 - d - (exp(a t^b) - 1)</c>, with
/// initial wear d, rate a and shape b. The paper's <c>exp(a t^b)</c> term is shifted by one so that
/// <c>h(0) = 1 - d</c>; failure is <c>h = 0</c>.
/// </summary>
internal readonly record struct DegradationPath(int Life, double InitialWear, double Rate, double Shape)
{
    /// <summary>
    /// Draws the life first and solves for the rate so that h crosses 0 exactly at the last cycle;
    /// drawing a and b freely would give lives outside [minLife, maxLife]. Squaring the uniform
    /// skews lives short, as in FD001 (mean about 206 of 128..362).
    /// </summary>
    public static DegradationPath Sample(StableRandom rng, int minLife, int maxLife)
    {
        var u = rng.NextDouble();
        var life = minLife + (int)Math.Floor(u * u * (maxLife - minLife + 1));
        var wear = 0.1 * rng.NextDouble();
        var shape = 1.5 + rng.NextDouble();
        var rate = Math.Log(2 - wear) / Math.Pow(life, shape);
        return new DegradationPath(life, wear, rate, shape);
    }

    /// <summary>Damage <c>1 - h(t)</c>: d at cycle 0, 1 at failure.</summary>
    public double Damage(int cycle) => InitialWear + Math.Exp(Rate * Math.Pow(cycle, Shape)) - 1;

    /// <summary>Health index h(t).</summary>
    public double Health(int cycle) => 1 - Damage(cycle);
}
