using Repro.Xunit;
using Xunit;

namespace Repro.Tests.Doctor;

// The GPU half of the fault catalogue, on users' checks (tests/Support/Causes) trained on CUDA;
// skipped (with the reason) where no CUDA GPU is usable.
[Collection(ReproCollection.Name)]
public sealed class GpuFaultTests
{
    static DoctorReport Audit(Func<TrainingCheck> create, Func<string, string?>? getenv = null) =>
        Repro.Doctor.Diagnose(create, new DoctorOptions
        {
            Store = DoctorSetup.EmptyStore(),
            RunTwice = false,
            NativeVariables = getenv ?? Repro.Native.LibC.GetEnv,
        });

    [GpuFact(DisplayName = "Doctor (CUDA): cuDNN benchmark on / deterministic off -> cudnn-nondeterministic")]
    public void Cudnn_nondeterministic() =>
        Assert.Equal(FindingSeverity.Error, Assert.Single(Audit(() => new CudnnBenchmarkOn { Device = DeviceRequest.Cuda }).WithCode(DoctorCodes.CudnnNondeterministic)).Severity);

    [GpuFact(DisplayName = "Doctor (CUDA): TF32 on -> tf32-enabled")]
    public void Tf32_enabled() =>
        Assert.Equal(FindingSeverity.Error, Assert.Single(Audit(() => new Tf32Allowed { Device = DeviceRequest.Cuda }).WithCode(DoctorCodes.Tf32Enabled)).Severity);

    [GpuFact(DisplayName = "Doctor (CUDA): CUBLAS_WORKSPACE_CONFIG missing -> cublas-workspace-missing")]
    public void Cublas_workspace_missing()
    {
        var report = Audit(() => new RegressionCheck { Device = DeviceRequest.Cuda }, name => name == "CUBLAS_WORKSPACE_CONFIG" ? null : Repro.Native.LibC.GetEnv(name));
        Assert.Equal(FindingSeverity.Error, Assert.Single(report.WithCode(DoctorCodes.CublasWorkspaceMissing)).Severity);
        Assert.Empty(Audit(() => new RegressionCheck { Device = DeviceRequest.Cuda }).WithCode(DoctorCodes.CublasWorkspaceMissing));
    }

    [GpuFact(DisplayName = "Doctor (CUDA): an index_add_ pooling layer with deterministic algorithms off -> nondeterministic-kernel at that module, inputs matched")]
    public void Atomics_kernel_is_localised()
    {
        var report = Repro.Doctor.Diagnose(() => new AtomicsPooling { Device = DeviceRequest.Cuda }, new DoctorOptions { Store = DoctorSetup.EmptyStore() });
        Assert.True(report.Verdict == DoctorVerdict.NonDeterministic, report.Render());
        var divergence = Assert.IsType<FirstDivergence>(report.FirstDivergence);
        Assert.Equal(("forward", "block.extra", "block.act", (bool?)true), (divergence.Phase, divergence.Name, divergence.Input, divergence.InputsMatched));
        Assert.Contains("block.extra", Assert.Single(report.WithCode(DoctorCodes.NondeterministicKernel)).Where);
    }

    [GpuFact(DisplayName = "Drift (CUDA): one extra torch.rand on cuda in evaluation -> weights and CPU generator identical after epoch 1, CUDA generator state differs at the start of epoch 2")]
    public void An_extra_cuda_draw_in_evaluation_moves_the_cuda_generator_first()
    {
        var baseline = DoctorSetup.Recorded(new RegressionCheck { Device = DeviceRequest.Cuda });
        Assert.All(baseline.Fingerprint.Trace!.Epochs, e => Assert.NotNull(e.CudaGeneratorAtStart));

        var run = TrainingHarness.Train(new CudaDrawInEvaluation { Device = DeviceRequest.Cuda });
        var moved = Assert.IsType<MovedState>(FingerprintComparer.Compare(baseline, run.Fingerprint).FirstMovedState);

        Assert.Equal(("generator", (int?)2), (moved.Piece, moved.Epoch));
        Assert.Contains("weights identical after epoch 1 and CPU generator identical, CUDA generator state differs at the start of epoch 2", moved.Summary);
        Assert.Equal(baseline.Fingerprint.Trace.Epochs[0], run.Fingerprint.Trace!.Epochs[0]);
    }

    [GpuFact(DisplayName = "Doctor (CUDA): the clean DualTask config is clean")]
    public void Clean_on_cuda()
    {
        var report = DualTaskDoctor.Diagnose(DoctorSetup.Tiny(DeviceRequest.Cuda), new DoctorOptions { Store = DoctorSetup.EmptyStore() });
        Assert.True(report.IsClean, report.Render());
    }

    [GpuFact(DisplayName = "Doctor (CUDA): the clean user check is clean")]
    public void Clean_user_check_on_cuda()
    {
        var report = Repro.Doctor.Diagnose(() => new RegressionCheck { Device = DeviceRequest.Cuda }, new DoctorOptions { Store = DoctorSetup.EmptyStore() });
        Assert.True(report.IsClean, report.Render());
    }
}
