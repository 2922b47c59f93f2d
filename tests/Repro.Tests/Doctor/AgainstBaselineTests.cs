using System.Text.Json;
using Repro.Cli;
using Repro.Xunit;
using Xunit;

namespace Repro.Tests.Doctor;

// 'repro doctor --against-baseline' on users' checks loaded from this assembly: the run compared with the
// verified baseline of its key and test, the first moved state named, and no baseline (or one with other
// settings) refused before anything trains.
[Collection(ReproCollection.Name)]
public sealed class AgainstBaselineTests
{
    static readonly string Assembly = typeof(RegressionCheck).Assembly.Location;
    static readonly Lazy<BaselineFile> Clean = new(() => DoctorSetup.Recorded(new RegressionCheck()));

    static CliResult Doctor(string check, string snapshots, params string[] more) =>
        CliRun.Invoke(["doctor", "--assembly", Assembly, "--check", check, "--snapshots", snapshots, "--test", nameof(RegressionCheck), "--against-baseline", .. more]);

    [CpuFact(DisplayName = "doctor --against-baseline: an extra random draw in evaluation, against a baseline approved without it -> exit 1, first moved state 'generator' at the start of epoch 2, " +
        "settled before any accept advice")]
    public void An_extra_draw_is_named_against_the_baseline()
    {
        using var env = EnvironmentScope.Workstation();
        var store = DoctorSetup.StoreWith(Clean.Value, nameof(RegressionCheck));

        var result = Doctor(nameof(RandomDrawInEvaluation), store.Root, "--json");

        Assert.True(result.ExitCode == ExitCodes.Mismatch, result.ToString());
        using var json = JsonDocument.Parse(result.Out);
        var report = json.RootElement;
        Assert.False(report.GetProperty("matchesBaseline").GetBoolean());
        var moved = report.GetProperty("firstMovedState");
        Assert.Equal(("generator", 2), (moved.GetProperty("piece").GetString(), moved.GetProperty("epoch").GetInt32()));
        Assert.Contains("weights identical after epoch 1, generator state differs at the start of epoch 2", moved.GetProperty("summary").GetString());
        Assert.Contains("evaluation", moved.GetProperty("meaning").GetString());
        // Drift is called drift, with the way to accept it, only after a second and a perturbed process agreed.
        Assert.True(report.GetProperty("crossProcessIdentical").GetBoolean(), result.ToString());
        Assert.True(report.GetProperty("perturbations").EnumerateArray().All(p => p.GetProperty("identical").GetBoolean()), result.ToString());
        var drift = report.GetProperty("findings").EnumerateArray().Single(f => f.GetProperty("code").GetString() == DoctorCodes.BaselineDrift);
        Assert.Contains("First moved state: weights identical after epoch 1", drift.GetProperty("what").GetString());
    }

    [CpuFact(DisplayName = "doctor --against-baseline: the clean check against its own baseline -> exit 0, 'Against the baseline: identical', no moved state")]
    public void The_clean_check_matches_its_baseline()
    {
        using var env = EnvironmentScope.Workstation();
        var store = DoctorSetup.StoreWith(Clean.Value, nameof(RegressionCheck));

        var result = Doctor(nameof(RegressionCheck), store.Root);

        Assert.True(result.ExitCode == ExitCodes.Pass, result.ToString());
        Assert.Contains("Against the baseline:   identical", result.Out);
        Assert.DoesNotContain("First moved state", result.Out);
    }

    [CpuFact(DisplayName = "doctor --against-baseline: no baseline for this key, a baseline with other settings, or --audit-only -> exit 4 naming the problem and the way out, before any training")]
    public void Nothing_comparable_is_refused_before_training()
    {
        using var env = EnvironmentScope.Workstation();

        var missing = Doctor(nameof(RegressionCheck), DoctorSetup.EmptyStore().Root);
        var otherSettings = Doctor(nameof(WorkerSeededNoise), DoctorSetup.StoreWith(Clean.Value, nameof(RegressionCheck)).Root);
        var auditOnly = Doctor(nameof(RegressionCheck), DoctorSetup.StoreWith(Clean.Value, nameof(RegressionCheck)).Root, "--audit-only");

        Assert.True(missing.ExitCode == ExitCodes.UsageOrEnvironment, missing.ToString());
        Assert.Contains("no verified baseline of 'RegressionCheck'", missing.Error);
        Assert.Contains("repro approve", missing.Error);
        Assert.True(otherSettings.ExitCode == ExitCodes.UsageOrEnvironment, otherSettings.ToString());
        Assert.Contains("other settings", otherSettings.Error);
        Assert.True(auditOnly.ExitCode == ExitCodes.UsageOrEnvironment, auditOnly.ToString());
        Assert.Contains("--audit-only", auditOnly.Error);
        foreach (var refused in new[] { missing, otherSettings, auditOnly })
            Assert.DoesNotContain("Same process, two runs", refused.Out + refused.Error);
    }
}
