using Repro.Cli;
using Xunit;

namespace Repro.Cli.Tests;

// 'repro status' and 'approve --from' compare a baseline's settings with this checkout's built-in checks
// only when the baseline is one of theirs: a user's settings read as a DualTaskConfig defaults to
// dualtask-small's and must not be called stale against it.
[Collection(ReproCollection.Name)]
public sealed class BuiltInChecksTests
{
    [Fact]
    public void A_user_checks_baseline_has_no_built_in_config_to_be_stale_against()
    {
        var run = TrainingHarness.Train(new TunableCheck());
        var file = new BaselineFile { Test = "TunableTests.Training_reproduces", Key = run.Environment.Key, Config = run.Settings, Environment = run.Environment, Fingerprint = run.Fingerprint };
        Assert.Null(BuiltInChecks.CurrentConfigHash(file));
    }

    [Fact]
    public void A_built_in_checks_baseline_is_compared_with_this_checkouts_config()
    {
        var config = DualTaskConfig.Small;
        var file = BaselineFiles.File(BaselineFiles.Fingerprint() with { ConfigHash = DualTaskRuns.ConfigHash(config) }, "dualtask-small", BaselineFiles.Environment("cpu", null)) with { Config = DualTaskRuns.Settings(config) };
        Assert.Equal(DualTaskRuns.ConfigHash(config), BuiltInChecks.CurrentConfigHash(file));
    }
}
