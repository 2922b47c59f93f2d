using System.Collections;
using System.Reflection;
using Repro.Xunit;
using Xunit;

namespace Repro.Tests.Checkpoints;

// The step protocol cannot be misused: a check takes its steps from context.Batches/Steps, which begin
// each step themselves and leave out the steps a resumed run already did.
[Collection(ReproCollection.Name)]
public sealed class EpochStepsTests : IDisposable
{
    readonly string _directory = Directory.CreateTempSubdirectory("repro-steps-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [CpuFact(DisplayName = "Steps: a check that calls Update in every batch context.Batches hands out is never refused on a mid-epoch resume, and trains exactly the steps after the checkpoint")]
    public void Resumed_batches_leave_out_the_steps_done()
    {
        var uninterrupted = new SumsCheck();
        TrainingHarness.Train(uninterrupted);
        ResumeHelpers.StopAt(new SumsCheck(), _directory, CheckpointPosition.AfterStep(2, 3));
        var resumed = new SumsCheck();
        ResumeHelpers.Resume(resumed, _directory);
        Assert.Equal(uninterrupted.Trained.Where(s => s.Epoch > 2 || (s.Epoch == 2 && s.Step > 3)), resumed.Trained);
        Assert.Equal([3, 0], resumed.Skipped);
    }

    [CpuFact(DisplayName = "Steps: StepInEpoch counts the steps a resumed run left out, so gradient accumulation resumed inside a group ends with the uninterrupted fingerprint")]
    public void Accumulation_resumes_inside_a_group()
    {
        var uninterrupted = TrainingHarness.Train(new AccumulatingSumsCheck()).Fingerprint;
        // Step 6 of 8 with updates after steps 4 and 8: the checkpoint holds two batches' gradients.
        var checkpoint = ResumeHelpers.StopAt(new AccumulatingSumsCheck(), _directory, CheckpointPosition.AfterStep(2, 6));
        var resumed = ResumeHelpers.Resume(new AccumulatingSumsCheck(), checkpoint);
        Assert.Equal(ResumeHelpers.Json(uninterrupted), ResumeHelpers.Json(resumed));
        Assert.Equal(uninterrupted.OptimizerSteps, resumed.OptimizerSteps);
    }

    [CpuFact(DisplayName = "Steps: an epoch's steps enumerated a second time are refused, saying why")]
    public void Second_enumeration_is_refused()
    {
        var error = Assert.Throws<ReproException>(() => TrainingHarness.Train(new TwoPasses()));
        Assert.Equal("The steps of epoch 1 were enumerated twice: each step is begun once. Keep the batches in a list of your own if the check needs them again, and loop over the steps once.", error.Message);
    }

    [Fact(DisplayName = "Steps: a check cannot begin a step itself, nor collect the steps before training them")]
    public void The_protocol_is_not_public()
    {
        Assert.Null(typeof(EpochContext).GetMethod("Step", BindingFlags.Public | BindingFlags.Instance));
        Assert.False(typeof(IEnumerable).IsAssignableFrom(typeof(EpochSteps<ArraySegment<int>>)));
    }

    sealed class TwoPasses : SumsCheck
    {
        protected internal override Metrics TrainEpoch(EpochContext context)
        {
            var steps = context.Batches(8, 4);
            foreach (var _ in steps) { }
            foreach (var _ in steps) { }
            return new Metrics { ["loss"] = 0 };
        }
    }
}
