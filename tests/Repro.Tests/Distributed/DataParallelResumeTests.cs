using Repro.Xunit;
using Xunit;

namespace Repro.Tests.Distributed;

// A data-parallel check on one device resumes like any check: the reducer holds nothing between steps, and
// each micro-batch seeds its own draws, so a run stopped inside an epoch and resumed ends with the
// uninterrupted run's fingerprint.
[Collection(ReproCollection.Name)]
public sealed class DataParallelResumeTests
{
    [Fact]
    public void A_data_parallel_check_stopped_mid_epoch_resumes_to_the_uninterrupted_fingerprint()
    {
        var uninterrupted = ResumeHelpers.Json(TrainingHarness.Train(new DataParallelCheck { ModuleDropout = true }).Fingerprint);
        var folder = Directory.CreateTempSubdirectory("repro-dp-resume-");
        try
        {
            var checkpoint = ResumeHelpers.StopAt(new DataParallelCheck { ModuleDropout = true }, folder.FullName, CheckpointPosition.AfterStep(2, 1));
            Assert.Equal(uninterrupted, ResumeHelpers.Json(ResumeHelpers.Resume(new DataParallelCheck { ModuleDropout = true }, checkpoint)));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
