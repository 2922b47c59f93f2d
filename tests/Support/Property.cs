using CsCheck;

namespace Repro.Tests.Support;

// Property runs with a fixed seed, so CI sees the same cases every time, and a case count that keeps
// 'dotnet test' within budget. CsCheck_Iter=10000 (CsCheck's own variable) runs that many cases
// instead, CsCheck_Seed=<seed> replays one case printed by a failure.
internal static class Property
{
    /// <summary>
    /// REPRO_PROPERTY_VALIDATE_ONLY=1: generated command lines that would train stop after validation
    /// (repro ... --validate-only), so that 10,000 cases take minutes. Every refusal comes before
    /// training, so every invariant is asserted as in CI, which trains the valid cases.
    /// </summary>
    internal static bool ValidateOnly { get; } = Environment.GetEnvironmentVariable("REPRO_PROPERTY_VALIDATE_ONLY") == "1";

    internal static void Check<T>(Gen<T> gen, Action<T> assert, int ciCases, ulong seed)
    {
        var replay = Environment.GetEnvironmentVariable("CsCheck_Seed");
        var cases = long.TryParse(Environment.GetEnvironmentVariable("CsCheck_Iter"), out var iterations) ? iterations : ciCases;
        var pcg = string.IsNullOrWhiteSpace(replay) ? new PCG(1, seed) : PCG.Parse(replay);
        if (!string.IsNullOrWhiteSpace(replay)) cases = 1;
        for (var i = 0L; i < cases; i++)
        {
            var state = pcg.State;
            var value = gen.Generate(pcg, null, out _);
            try
            {
                assert(value);
            }
            catch (Exception ex)
            {
                throw new global::Xunit.Sdk.XunitException($"Case {i + 1} of {cases} failed; replay it with CsCheck_Seed={pcg.ToString(state)}.\nInput: {CsCheck.Check.Print(value)}\n{ex.Message}", ex);
            }
        }
    }
}
