using Repro.Xunit;
using Xunit;

namespace Repro.DualTask.Tests.Training;

// The EMA warm-up counts updates and the averaged BatchNorm statistics are state of their own: a
// checkpoint must hold both, or a resumed run restarts the warm-up at decay 0.1 and swaps in the
// wrong statistics.
[Collection(ReproCollection.Name)]
public sealed class LearningResumeTests : IDisposable
{
    readonly string _directory = Directory.CreateTempSubdirectory("repro-learning-resume-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    static DualTaskCheck Check() => new(DualTaskConfig.Small with
    {
        Epochs = 2,
        Data = DataSource.SmallSynthetic with { Synthetic = DataSource.SmallSynthetic.Synthetic with { TrainUnits = 20, TestUnits = 4 } },
        Determinism = DualTaskConfig.Small.Determinism with { Device = DeviceRequest.Cpu },
    });

    [CpuFact(DisplayName = "Resume: the learning options (EMA warm-up count, averaged BatchNorm statistics) resume mid-epoch to the uninterrupted fingerprint")]
    public void Mid_epoch_resume_is_exact()
    {
        var uninterrupted = TrainingHarness.Train(Check()).Fingerprint;
        var checkpoint = ResumeHelpers.StopAt(Check(), _directory, CheckpointPosition.AfterStep(2, 2));
        Assert.Equal(ResumeHelpers.Json(uninterrupted), ResumeHelpers.Json(ResumeHelpers.Resume(Check(), checkpoint)));
    }
}
