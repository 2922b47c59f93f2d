using Repro.Xunit;
using Xunit;
using Repro.Tests.Doctor;

namespace Repro.Tests.Flat;

// The acceptance on a GPU machine: the chapter configuration trained with the flat layout forced on
// CUDA must match the committed CUDA baseline (trained per tensor) bit for bit; it is why Auto is flat
// on CUDA too (ParameterLayouts.UseFlat).
[Collection(ReproCollection.Name)]
public sealed class FlatCudaBaselineTests
{
    [GpuFact]
    public void Chapter_config_with_flat_parameters_matches_the_committed_cuda_baseline()
    {
        var previous = System.Environment.GetEnvironmentVariable(ParameterLayouts.Variable);
        System.Environment.SetEnvironmentVariable(ParameterLayouts.Variable, "flat");
        try
        {
            var config = DualTaskConfig.Chapter with { Determinism = DualTaskConfig.Chapter.Determinism with { Device = DeviceRequest.Cuda } };
            using var result = TrainingHarness.Run(new DualTaskCheck(config));
            var storages = result.Model.parameters().Select(p => TensorIdentity.StorageAddress(p)).Distinct().Count();
            Assert.True(storages <= 3, $"the parameters live in {storages} storages: the flat layout was not used");
            var store = BaselineStore.Default();
            var key = result.Run.Environment.Key;
            const string test = "ReproducibilitySuite.ChapterConfigOnCuda";
            var baseline = store.ReadVerified(key, test);
            Assert.True(baseline is not null, $"no committed baseline {test} for {key}: run the GPU suite on a GPU with a baseline (H100, H200)");
            var comparison = FingerprintComparer.Compare(baseline!, result.Fingerprint);
            Assert.True(comparison.Passed, DivergenceReport.Render(comparison, store.VerifiedPath(key, test)));
        }
        finally
        {
            System.Environment.SetEnvironmentVariable(ParameterLayouts.Variable, previous);
        }
    }
}
