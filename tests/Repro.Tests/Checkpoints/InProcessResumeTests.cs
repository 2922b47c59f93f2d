using Repro.Xunit;
using Xunit;

namespace Repro.Tests.Checkpoints;

[Collection(ReproCollection.Name)]
public sealed class InProcessResumeTests : IDisposable
{
    readonly string _directory = Directory.CreateTempSubdirectory("repro-resume-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    static TrainingFingerprint Uninterrupted => TrainingRuns.Get(() => new TinyCnnCheck()).Fingerprint;

    [CpuFact(DisplayName = "Resume: the tiny CNN resumed at an epoch boundary ends with the uninterrupted fingerprint")]
    public void Epoch_boundary()
    {
        var checkpoint = ResumeHelpers.StopAt(new TinyCnnCheck(), _directory, CheckpointPosition.AfterEpoch(1));
        Assert.EndsWith("checkpoint-e0001-end", checkpoint);
        Assert.Equal(ResumeHelpers.Json(Uninterrupted), ResumeHelpers.Json(ResumeHelpers.Resume(new TinyCnnCheck(), checkpoint)));
    }

    [CpuFact(DisplayName = "Resume: the tiny CNN resumed after step 3 of epoch 2 ends with the uninterrupted fingerprint")]
    public void Mid_epoch()
    {
        var checkpoint = ResumeHelpers.StopAt(new TinyCnnCheck(), _directory, CheckpointPosition.AfterStep(2, 3));
        Assert.EndsWith("checkpoint-e0002-s000003", checkpoint);
        Assert.Equal(ResumeHelpers.Json(Uninterrupted), ResumeHelpers.Json(ResumeHelpers.Resume(new TinyCnnCheck(), checkpoint)));
    }
}
