using Repro.Xunit;
using TorchSharp;
using Xunit;

namespace Repro.DualTask.Tests.EndToEnd;

[Collection(ReproCollection.Name)]
public class SmokeTests
{
    [Fact]
    public void TorchLoads()
    {
        var state = Determinism.Apply(new DeterminismOptions());
        var env = EnvironmentFingerprint.Capture();
        TestContext.Current.SendDiagnosticMessage(env.ToString());
        Assert.Equal("cpu", env.Device);
        Assert.True(state.CudnnDeterministic);
        Assert.Equal(":4096:8", state.CublasWorkspaceConfig);
        Console.WriteLine(env);
        Console.WriteLine(state);
        Console.WriteLine(env.Key);
        Assert.Equal(42, torch.random.initial_seed());
    }
}
