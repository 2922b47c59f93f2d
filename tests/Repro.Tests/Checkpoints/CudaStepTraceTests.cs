using Repro.Xunit;
using Xunit;

namespace Repro.Tests.Checkpoints;

// The doctor's step trace records the CUDA generator next to the CPU one on CUDA.
[Collection(ReproCollection.Name)]
public sealed class CudaStepTraceTests
{
    [GpuFact(DisplayName = "Doctor: the step trace hashes the CUDA generator state at every step on CUDA")]
    public void Trace_hashes_the_cuda_generator()
    {
        var tracer = new StepTracer(lastEpoch: 1, maxSteps: 3);
        try
        {
            using var result = TrainingHarness.Run(new TinyCnnCudaCheck(), tracer, null);
        }
        catch (StopTracing)
        {
        }
        var cuda = tracer.Entries.Where(e => e.Phase == "rng" && e.Name == "cuda").ToList();
        Assert.Equal(3, cuda.Count);
        // Dropout draws from the CUDA generator, so its state differs from step to step.
        Assert.Equal(3, cuda.Select(e => e.Hash).Distinct().Count());
    }
}
