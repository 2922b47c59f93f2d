using Repro.Xunit;
using Xunit;

namespace Repro.Tests.DoctorTests;

// The GPU half of the fault catalogue; skipped (with the reason) where no CUDA GPU is usable.
[Collection(ReproCollection.Name)]
public sealed class GpuFaultTests
{
    static DoctorReport Audit(InjectedFault fault, Func<string, string?>? getenv = null) =>
        DualTaskDoctor.Diagnose(DoctorSetup.Tiny(fault, DeviceRequest.Cuda), new DoctorOptions
        {
            Store = DoctorSetup.EmptyStore(),
            RunTwice = false,
            NativeVariables = getenv ?? Native.LibC.GetEnv,
        });

    [GpuFact(DisplayName = "Doctor (CUDA): cuDNN benchmark on / deterministic off -> cudnn-nondeterministic")]
    public void Cudnn_nondeterministic() =>
        Assert.Equal(FindingSeverity.Error, Assert.Single(Audit(InjectedFault.CudnnNondeterministic).WithCode(DoctorCodes.CudnnNondeterministic)).Severity);

    [GpuFact(DisplayName = "Doctor (CUDA): TF32 on -> tf32-enabled")]
    public void Tf32_enabled() =>
        Assert.Equal(FindingSeverity.Error, Assert.Single(Audit(InjectedFault.Tf32Enabled).WithCode(DoctorCodes.Tf32Enabled)).Severity);

    [GpuFact(DisplayName = "Doctor (CUDA): CUBLAS_WORKSPACE_CONFIG missing -> cublas-workspace-missing")]
    public void Cublas_workspace_missing()
    {
        var report = Audit(InjectedFault.None, name => name == "CUBLAS_WORKSPACE_CONFIG" ? null : Native.LibC.GetEnv(name));
        Assert.Equal(FindingSeverity.Error, Assert.Single(report.WithCode(DoctorCodes.CublasWorkspaceMissing)).Severity);
        Assert.Empty(Audit(InjectedFault.None).WithCode(DoctorCodes.CublasWorkspaceMissing));
    }

    [GpuFact(DisplayName = "Doctor (CUDA): atomics index_add_ with deterministic algorithms off -> nondeterministic-kernel at 'index_add', inputs matched")]
    public void Atomics_kernel_is_localised()
    {
        // Full-size batches and three epochs: enough atomic adds that the summation order shows.
        var config = DualTaskConfig.Small with
        {
            Name = DoctorSetup.Test,
            Determinism = DualTaskConfig.Small.Determinism with { Device = DeviceRequest.Cuda },
            Fault = InjectedFault.AtomicsKernel,
        };
        var report = DualTaskDoctor.Diagnose(config, new DoctorOptions { Store = DoctorSetup.EmptyStore() });
        Assert.True(report.Verdict == DoctorVerdict.NonDeterministic, report.Render());
        var divergence = Assert.IsType<FirstDivergence>(report.FirstDivergence);
        Assert.Equal(("forward", "index_add", "pool", (bool?)true), (divergence.Phase, divergence.Name, divergence.Input, divergence.InputsMatched));
        Assert.Contains("index_add", Assert.Single(report.WithCode(DoctorCodes.NondeterministicKernel)).Where);
    }

    [GpuFact(DisplayName = "Doctor (CUDA): the clean config is clean")]
    public void Clean_on_cuda()
    {
        var report = DualTaskDoctor.Diagnose(DoctorSetup.Tiny(device: DeviceRequest.Cuda), new DoctorOptions { Store = DoctorSetup.EmptyStore() });
        Assert.True(report.IsClean, report.Render());
    }
}
