using Repro.Xunit;
using Xunit;

namespace Repro.Tests.Doctor;

// The CPU half of the fault catalogue: each known cause lives in a user's check (tests/Support/Causes),
// written the way real code contains it, and the doctor must detect it from evidence (fingerprints,
// traces, the audit, the baseline's environment) and name it with its code.
[Collection(ReproCollection.Name)]
public sealed class FaultCatalogueTests
{
    [CpuFact(DisplayName = "Doctor: torch.random.seed() before the model -> initial weights differ -> unseeded-torch-generator")]
    public void Unseeded_torch_generator() =>
        AssertNonDeterministic<UnseededInit>(DoctorCodes.UnseededTorchGenerator, "initial weights");

    [CpuFact(DisplayName = "Doctor: new Random() in data loading -> data hash differs -> unseeded-data-randomness")]
    public void Unseeded_data_randomness() =>
        AssertNonDeterministic<UnseededNoiseInData>(DoctorCodes.UnseededDataRandomness, "data hash");

    [CpuFact(DisplayName = "Doctor: static shuffling generator -> order differs on the second run -> stateful-batch-order")]
    public void Stateful_batch_order()
    {
        var report = AssertNonDeterministic<StaticShuffleGenerator>(DoctorCodes.StatefulBatchOrder, "epoch 1");
        // The evidence that it is state, not randomness: a fresh process's first training equals this one's first.
        Assert.Contains("matches two trainings in fresh processes", Assert.Single(report.WithCode(DoctorCodes.StatefulBatchOrder)).What);
    }

    [CpuFact(DisplayName = "Doctor: unseeded parallel augmentation workers -> the model's input differs at step 1, order and data match -> unseeded-batch-workers")]
    public void Unseeded_batch_workers()
    {
        var report = AssertNonDeterministic<UnseededAugmentationWorkers>(DoctorCodes.UnseededBatchWorkers, "'input'");
        var divergence = Assert.IsType<FirstDivergence>(report.FirstDivergence);
        Assert.Equal((1L, "forward", "input", (bool?)true), (divergence.Step, divergence.Phase, divergence.Name, divergence.InputsMatched));
    }

    [CpuFact(DisplayName = "Doctor: a training started on another thread -> guard throws -> concurrent-training")]
    public void Concurrent_training()
    {
        var report = AssertNonDeterministic<ConcurrentTraining>(DoctorCodes.ConcurrentTraining, "overlap");
        Assert.Null(report.InProcessIdentical);
        Assert.False(TrainingGuard.IsActive);
    }

    [CpuFact(DisplayName = "Doctor: units in hash-set order -> identical in one process, different in two -> process-randomised-hashing")]
    public void Process_randomised_hashing_is_caught_only_across_processes()
    {
        var inProcess = Repro.Doctor.Diagnose(() => new HashOrderedUnits(), new DoctorOptions { Store = DoctorSetup.EmptyStore() });
        Assert.True(inProcess.InProcessIdentical);
        Assert.Empty(inProcess.WithCode(DoctorCodes.ProcessRandomisedHashing));

        var across = Repro.Doctor.Diagnose(() => new HashOrderedUnits(), new DoctorOptions { Store = DoctorSetup.EmptyStore(), CrossProcess = true });
        Assert.True(across.InProcessIdentical);
        Assert.False(across.CrossProcessIdentical);
        Assert.Equal(DoctorVerdict.NonDeterministic, across.Verdict);
        var finding = Assert.Single(across.WithCode(DoctorCodes.ProcessRandomisedHashing));
        Assert.Contains("training data", finding.What);

        // The clean config must match across processes, also with the device left to 'auto' (the
        // child gets the same device request, so it trains the identical config).
        var clean = DoctorSetup.Tiny() with { Determinism = DoctorSetup.Tiny().Determinism with { Device = DeviceRequest.Auto } };
        var cleanAcross = DualTaskDoctor.Diagnose(clean, new DoctorOptions { Store = DoctorSetup.EmptyStore(), CrossProcess = true });
        Assert.True(cleanAcross.CrossProcessIdentical, cleanAcross.Render());
    }

    [CpuFact(DisplayName = "Doctor: thread count differs from the baseline's -> thread-count-changed")]
    public void Thread_count_changed()
    {
        var (environment, fingerprint) = DoctorSetup.CleanRun;
        var store = DoctorSetup.StoreWithBaseline(environment, fingerprint);
        var report = Repro.Doctor.Diagnose(() => new OtherThreadCount(), new DoctorOptions { Store = store, Test = DoctorSetup.Test, RunTwice = false });
        var finding = Assert.Single(report.WithCode(DoctorCodes.ThreadCountChanged));
        Assert.Contains($"was {environment.IntraOpThreads} ", finding.What);
        Assert.Equal(FindingSeverity.Warning, finding.Severity);
        Assert.Equal(DoctorVerdict.Warnings, report.Verdict);
        Assert.Empty(report.WithCode(DoctorCodes.CpuCapabilityChanged));
    }

    [CpuFact(DisplayName = "Doctor: CPU capability differs from the baseline's -> cpu-capability-changed")]
    public void Cpu_capability_changed()
    {
        var (environment, fingerprint) = DoctorSetup.CleanRun;
        var other = environment.CpuCapability == "avx512" ? "avx2" : "avx512";
        var store = DoctorSetup.StoreWithBaseline(environment with { CpuCapability = other }, fingerprint);
        var report = DualTaskDoctor.Diagnose(DoctorSetup.Tiny(), new DoctorOptions { Store = store, RunTwice = false });
        var finding = Assert.Single(report.WithCode(DoctorCodes.CpuCapabilityChanged));
        Assert.Contains($"was {other} ", finding.What);
        Assert.Empty(report.WithCode(DoctorCodes.ThreadCountChanged));
    }

    [CpuFact(DisplayName = "Doctor: GPU switches are read back from libtorch on CPU too (info here, errors on CUDA)")]
    public void Gpu_switches_are_audited_on_cpu()
    {
        var store = DoctorSetup.EmptyStore();
        var cudnn = Repro.Doctor.Diagnose(() => new CudnnBenchmarkOn(), new DoctorOptions { Store = store, RunTwice = false });
        Assert.Equal(FindingSeverity.Info, Assert.Single(cudnn.WithCode(DoctorCodes.CudnnNondeterministic)).Severity);
        Assert.Empty(cudnn.WithCode(DoctorCodes.Tf32Enabled));

        var tf32 = Repro.Doctor.Diagnose(() => new Tf32Allowed(), new DoctorOptions { Store = store, RunTwice = false });
        Assert.Single(tf32.WithCode(DoctorCodes.Tf32Enabled));
        Assert.Empty(tf32.WithCode(DoctorCodes.CudnnNondeterministic));

        var cublas = DualTaskDoctor.Diagnose(DoctorSetup.Tiny(), new DoctorOptions { Store = store, RunTwice = false, NativeVariables = _ => null });
        Assert.Single(cublas.WithCode(DoctorCodes.CublasWorkspaceMissing));
        var real = DualTaskDoctor.Diagnose(DoctorSetup.Tiny(), new DoctorOptions { Store = store, RunTwice = false });
        Assert.Empty(real.WithCode(DoctorCodes.CublasWorkspaceMissing));
        // The doctor puts back the switches it found, so later trainings are unaffected.
        Assert.False(Repro.Advanced.Determinism.Read().AllowTF32CuBLAS);
    }

    static DoctorReport AssertNonDeterministic<TCheck>(string code, string evidence) where TCheck : TrainingCheck, new()
    {
        var report = Repro.Doctor.Diagnose(() => new TCheck(), new DoctorOptions { Store = DoctorSetup.EmptyStore() });
        Assert.True(report.Verdict == DoctorVerdict.NonDeterministic, report.Render());
        var finding = Assert.Single(report.Findings, f => f.Severity == FindingSeverity.Error);
        Assert.True(finding.Code == code, $"Expected {code}, got {finding.Code}:\n{report.Render()}");
        Assert.Contains(evidence, finding.What + " " + finding.Where, StringComparison.OrdinalIgnoreCase);
        return report;
    }
}
