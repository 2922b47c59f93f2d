using Repro.Xunit;
using Xunit;

namespace Repro.DualTask.Tests.EndToEnd;

/// <summary>
/// The product: each check trains once and must match the committed baseline of this machine's
/// environment key (snapshots/{key}/ReproducibilitySuite.{Method}.verified.json).
/// </summary>
[Collection(ReproCollection.Name)]
public sealed class ReproducibilitySuite
{
    [CpuFact(DisplayName = "Small DualTask config on CPU matches its committed baseline")]
    public Task SmallConfigOnCpu() =>
        Baseline.VerifyAsync(() => new DualTaskCheck(DualTaskConfig.Small with { Determinism = DualTaskConfig.Small.Determinism with { Device = DeviceRequest.Cpu } }));

    [GpuFact(DisplayName = "Chapter DualTask config on CUDA matches its committed baseline")]
    public Task ChapterConfigOnCuda() =>
        Baseline.VerifyAsync(() => new DualTaskCheck(DualTaskConfig.Chapter with { Determinism = DualTaskConfig.Chapter.Determinism with { Device = DeviceRequest.Cuda } }));

    // The chapter with SDPA attention, cuDNN batch norm and fused AdamW (DualTaskConfig.ChapterFused): different numbers,
    // so its own baseline, approved on the GPU machine like the others ("No baseline" until then).
    [GpuFact(DisplayName = "Chapter DualTask config with fused kernels (SDPA, cuDNN batch norm, fused AdamW) on CUDA matches its committed baseline")]
    public Task ChapterFusedConfigOnCuda() =>
        Baseline.VerifyAsync(() => new DualTaskCheck(DualTaskConfig.ChapterFused with { Determinism = DualTaskConfig.ChapterFused.Determinism with { Device = DeviceRequest.Cuda } }));
}
