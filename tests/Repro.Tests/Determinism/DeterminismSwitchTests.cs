using Repro.Xunit;
using TorchSharp;
using Xunit;

namespace Repro.Tests.Determinism;

// Each switch is written through Repro.Native.ATenContext and read back through libtorch's own
// getter: a wrong mangled name or a setter that silently does nothing shows up here.
[Collection(ReproCollection.Name)]
public sealed class DeterminismSwitchTests : IDisposable
{
    static readonly Dictionary<string, (Func<DeterminismOptions, bool, DeterminismOptions> Set, Func<DeterminismState, bool> Get)> Switches = new()
    {
        ["CudnnDeterministic"] = ((o, v) => o with { CudnnDeterministic = v }, s => s.CudnnDeterministic),
        ["CudnnBenchmark"] = ((o, v) => o with { CudnnBenchmark = v }, s => s.CudnnBenchmark),
        ["DeterministicAlgorithms"] = ((o, v) => o with { DeterministicAlgorithms = v }, s => s.DeterministicAlgorithms),
        ["WarnOnly"] = ((o, v) => o with { DeterministicAlgorithms = true, WarnOnly = v }, s => s.WarnOnly),
        ["FillUninitializedMemory"] = ((o, v) => o with { FillUninitializedMemory = v }, s => s.FillUninitializedMemory),
        ["AllowTF32CuBLAS"] = ((o, v) => o with { AllowTF32 = v }, s => s.AllowTF32CuBLAS),
        ["AllowTF32CuDNN"] = ((o, v) => o with { AllowTF32 = v }, s => s.AllowTF32CuDNN),
    };

    public static TheoryData<string> SwitchNames => [.. Switches.Keys];

    // Later tests (and the smoke test) expect the defaults.
    public void Dispose() => Repro.Advanced.Determinism.Apply(new DeterminismOptions());

    [Theory]
    [MemberData(nameof(SwitchNames))]
    public void Switch_round_trips_through_libtorch(string name)
    {
        var (set, get) = Switches[name];
        foreach (var value in new[] { true, false, true })
        {
            Repro.Advanced.Determinism.Apply(set(new DeterminismOptions(), value));
            Assert.True(get(Repro.Advanced.Determinism.Read()) == value, $"{name} was set to {value} but libtorch reports {!value}.");
        }
    }

    [Fact]
    public void Defaults_read_back_as_the_reproducible_choice()
    {
        var state = Repro.Advanced.Determinism.Apply(new DeterminismOptions());
        Assert.True(state.CudnnDeterministic);
        Assert.False(state.CudnnBenchmark);
        Assert.True(state.DeterministicAlgorithms);
        Assert.False(state.WarnOnly);
        Assert.True(state.FillUninitializedMemory);
        Assert.False(state.AllowTF32CuBLAS);
        Assert.False(state.AllowTF32CuDNN);
        Assert.Equal(2, state.IntraOpThreads);
        Assert.Equal(42, state.InitialSeed);
    }

    [Fact]
    public void TorchSharp_sees_TF32_changes_made_through_the_harness()
    {
        Repro.Advanced.Determinism.Apply(new DeterminismOptions { AllowTF32 = true });
        Assert.True(torch.backends.cudnn.allow_tf32);
        Assert.True(torch.backends.cuda.matmul.allow_tf32);

        Repro.Advanced.Determinism.Apply(new DeterminismOptions { AllowTF32 = false });
        Assert.False(torch.backends.cudnn.allow_tf32);
        Assert.False(torch.backends.cuda.matmul.allow_tf32);
    }

    [Fact]
    public void Harness_sees_TF32_changes_made_through_TorchSharp()
    {
        torch.backends.cudnn.allow_tf32 = true;
        torch.backends.cuda.matmul.allow_tf32 = true;
        var state = Repro.Advanced.Determinism.Read();
        Assert.True(state.AllowTF32CuDNN);
        Assert.True(state.AllowTF32CuBLAS);

        torch.backends.cudnn.allow_tf32 = false;
        torch.backends.cuda.matmul.allow_tf32 = false;
        state = Repro.Advanced.Determinism.Read();
        Assert.False(state.AllowTF32CuDNN);
        Assert.False(state.AllowTF32CuBLAS);
    }
}
