using Repro.Xunit;
using Xunit;

namespace Repro.Cli.Tests;

// Issue 23's table from the command line: each mistake in a user's check (tests/Support/Causes), loaded by
// 'repro doctor --perturb --assembly', is named by its own cause and exits 3, and no output of any of them
// advises approving its numbers. The in-process suite repeats the intermittent ones five times; the locked
// parallel sum is left to it, since on a busy runner a single run may see its threads never overlap.
[Collection(ReproCollection.Name)]
public sealed class DoctorSweepTests
{
    static readonly string Assembly = typeof(RegressionCheck).Assembly.Location;

    [CpuTheory(DisplayName = "repro doctor --perturb on a mistake in a user's check -> exit 3, that cause as the only error, no advice to approve")]
    [InlineData(nameof(RandomSharedJitter), DoctorCodes.UnseededBatchRandomness)]
    [InlineData(nameof(GuidShuffle), DoctorCodes.UnseededBatchOrder)]
    [InlineData(nameof(HashOrderedUnits), DoctorCodes.ProcessRandomisedHashing)]
    [InlineData(nameof(ThreadsFromProcessorCount), DoctorCodes.ThreadCountSetInTraining)]
    [InlineData(nameof(BatchesInCompletionOrder), DoctorCodes.CompletionOrderConsumption)]
    [InlineData(nameof(TickCountSeedEachEpoch), DoctorCodes.RngStateDiverged)]
    [InlineData(nameof(StaticStepCounter), DoctorCodes.StateSurvivesBetweenTrainings)]
    [InlineData(nameof(SimdSummedStatistics), DoctorCodes.SimdWidthDependent)]
    public void Each_mistake_is_named_by_its_cause(string check, string code)
    {
        using var env = EnvironmentScope.Workstation();
        using var workspace = new CliWorkspace();

        var result = CliRun.Invoke("doctor", "--perturb", "--assembly", Assembly, "--check", check, "--snapshots", workspace.Snapshots);

        AssertNamed(result, code);
    }

    [CpuFact(DisplayName = "repro doctor --perturb on data noise from new Random(DateTime.Now.Minute) -> exit 3, clock-seeded-randomness, no advice to approve")]
    public void Clock_seeded_noise_is_named_by_its_cause()
    {
        using var env = EnvironmentScope.Workstation();
        using var workspace = new CliWorkspace();
        // A run during which the minute turns trains other numbers between its own runs: repeated once, as a user would.
        CliResult result;
        for (var attempt = 0; ; attempt++)
        {
            var minute = DateTime.Now.Minute;
            result = CliRun.Invoke("doctor", "--perturb", "--assembly", Assembly, "--check", nameof(ClockSeededNoise), "--snapshots", workspace.Snapshots);
            if (DateTime.Now.Minute == minute || attempt == 1) break;
        }

        AssertNamed(result, DoctorCodes.ClockSeededRandomness);
    }

    static void AssertNamed(CliResult result, string code)
    {
        Assert.True(result.ExitCode == 3, result.ToString());
        var errors = result.Out.Split('\n').Where(l => l.StartsWith("[error] ", StringComparison.Ordinal)).ToList();
        Assert.True(errors.SequenceEqual([$"[error] {code}"]), $"expected only [error] {code}:\n{result}");
        AcceptAdvice.AssertNone(result.Out + result.Error);
    }
}
