using Repro.Xunit;
using Xunit;

namespace Repro.DualTask.Tests.EndToEnd;

[Collection(ReproCollection.Name)]
public sealed class InProcessReproducibilityTests
{
    [CpuFact(DisplayName = "Pipeline: two trainings of the small config in one process give identical fingerprints")]
    public void Two_trainings_in_one_process_are_identical()
    {
        var first = Trainer.Train(PipelineConfigs.Baseline);
        var second = Trainer.Train(PipelineConfigs.Baseline);
        Assert.Equal(2, first.Epochs.Count);
        Assert.Equal(PipelineConfigs.Json(first), PipelineConfigs.Json(second));
    }
}
