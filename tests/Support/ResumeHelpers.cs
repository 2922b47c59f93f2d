using Xunit;

namespace Repro.Tests.Support;

// Trains to a stop position with checkpoints and resumes in this process: the fast form of the
// fresh-process tests, for the cases where only the harness's bookkeeping is under test.
internal static class ResumeHelpers
{
    internal static string StopAt(TrainingCheck check, string directory, CheckpointPosition stopAfter, long everySteps = 0)
    {
        var stopped = Assert.Throws<TrainingStoppedException>(() =>
            TrainingHarness.Train(check, new CheckpointOptions { Directory = directory, StopAfter = stopAfter, EverySteps = everySteps }));
        Assert.True(Directory.Exists(stopped.Checkpoint), stopped.Checkpoint);
        return stopped.Checkpoint;
    }

    internal static TrainingFingerprint Resume(TrainingCheck check, string from) =>
        TrainingHarness.Train(check, new CheckpointOptions { ResumeFrom = from }).Fingerprint;

    internal static string Json(TrainingFingerprint fingerprint) => ReproJson.Serialize(fingerprint);
}
