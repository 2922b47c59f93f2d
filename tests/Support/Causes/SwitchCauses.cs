
namespace Repro.Tests.Support.Causes;

// Determinism switches a user's check sets differently from the reproducible defaults.

/// <summary>Pins one intra-op thread fewer (or more) than the defaults the baselines were recorded with.</summary>
public sealed class OtherThreadCount : RegressionCheck
{
    public override DeterminismOptions Determinism => base.Determinism with { IntraOpThreads = new DeterminismOptions().IntraOpThreads == 1 ? 2 : 1 };
}

/// <summary>cuDNN autotuning on and its deterministic mode off.</summary>
public sealed class CudnnBenchmarkOn : RegressionCheck
{
    public override DeterminismOptions Determinism => base.Determinism with { CudnnBenchmark = true, CudnnDeterministic = false };
}

/// <summary>TF32 allowed for cuBLAS and cuDNN.</summary>
public sealed class Tf32Allowed : RegressionCheck
{
    public override DeterminismOptions Determinism => base.Determinism with { AllowTF32 = true };
}
