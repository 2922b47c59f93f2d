using Repro.Xunit;
using Xunit;

namespace Repro.Tests.Checkpoints;

/// <summary>
/// The acceptance: a run interrupted here (a checkpoint at an epoch boundary or inside an epoch) and
/// resumed in a fresh process ('repro run --resume') ends with the uninterrupted run's fingerprint, bit
/// for bit: DualTask against its committed baseline, the tiny CNN against an uninterrupted run.
/// </summary>
[Collection(ReproCollection.Name)]
public sealed class FreshProcessResumeTests
{
    // The uninterrupted runs' committed baselines (ReproducibilitySuite trains them).
    const string SmallBaseline = "ReproducibilitySuite.SmallConfigOnCpu";
    const string ChapterBaseline = "ReproducibilitySuite.ChapterConfigOnCuda";

    static DualTaskCheck SmallOnCpu() => new(DualTaskConfig.Small with { Determinism = DualTaskConfig.Small.Determinism with { Device = DeviceRequest.Cpu } });

    static DualTaskCheck ChapterOnCuda() => new(DualTaskConfig.Chapter with { Determinism = DualTaskConfig.Chapter.Determinism with { Device = DeviceRequest.Cuda } });

    [CpuFact(DisplayName = "Resume: DualTask small, stopped at the end of epoch 1 and resumed in a fresh process, matches the uninterrupted baseline")]
    public Task DualTask_epoch_boundary() => Baseline.VerifyResumedAsync(SmallOnCpu, CheckpointPosition.AfterEpoch(1), new BaselineSettings { Against = SmallBaseline });

    [CpuFact(DisplayName = "Resume: DualTask small, stopped after step 3 of epoch 2 and resumed in a fresh process, matches the uninterrupted baseline")]
    public Task DualTask_mid_epoch() => Baseline.VerifyResumedAsync(SmallOnCpu, CheckpointPosition.AfterStep(2, 3), new BaselineSettings { Against = SmallBaseline });

    [CpuFact(DisplayName = "Resume: the tiny CNN, stopped at the end of epoch 2 and resumed in a fresh process, equals the uninterrupted run")]
    public void TinyCnn_epoch_boundary() => AssertResumedEqualsUninterrupted(() => new TinyCnnCheck(), CheckpointPosition.AfterEpoch(2));

    [CpuFact(DisplayName = "Resume: the tiny CNN, stopped after step 2 of epoch 2 and resumed in a fresh process, equals the uninterrupted run")]
    public void TinyCnn_mid_epoch() => AssertResumedEqualsUninterrupted(() => new TinyCnnCheck(), CheckpointPosition.AfterStep(2, 2));

    [GpuFact(DisplayName = "Resume (CUDA): the chapter config with dropout, stopped after step 5 of epoch 3 and resumed in a fresh process, matches the uninterrupted baseline")]
    public Task Chapter_mid_epoch_on_cuda() => Baseline.VerifyResumedAsync(ChapterOnCuda, CheckpointPosition.AfterStep(3, 5), new BaselineSettings { Against = ChapterBaseline });

    [GpuFact(DisplayName = "Resume (CUDA): the chapter config, stopped at the end of epoch 2 and resumed in a fresh process, matches the uninterrupted baseline")]
    public Task Chapter_epoch_boundary_on_cuda() => Baseline.VerifyResumedAsync(ChapterOnCuda, CheckpointPosition.AfterEpoch(2), new BaselineSettings { Against = ChapterBaseline });

    [GpuFact(DisplayName = "Resume (CUDA): the tiny CNN (dropout on the CUDA generator), stopped after step 3 of epoch 2 and resumed in a fresh process, equals the uninterrupted run")]
    public void TinyCnn_mid_epoch_on_cuda() => AssertResumedEqualsUninterrupted(() => new TinyCnnCudaCheck(), CheckpointPosition.AfterStep(2, 3));

    static void AssertResumedEqualsUninterrupted(Func<TrainingCheck> create, CheckpointPosition stopAfter)
    {
        var uninterrupted = TrainingRuns.Get(create).Fingerprint;
        var resumed = FreshProcessResume.Train(create, stopAfter).Fingerprint;
        Assert.Equal(ResumeHelpers.Json(uninterrupted), ResumeHelpers.Json(resumed));
    }
}
