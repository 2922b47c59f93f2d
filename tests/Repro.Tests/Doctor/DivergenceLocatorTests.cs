using Xunit;

namespace Repro.Tests.Doctor;

// The localiser on hand-made traces: which entry differs first, and whether its input matched.
public sealed class DivergenceLocatorTests
{
    static List<TraceEntry> Trace(params (long Step, string Phase, string Name, string Hash)[] entries) =>
        [.. entries.Select(e => new TraceEntry(e.Step, 1, e.Phase, e.Name, e.Hash))];

    static readonly (long, string, string, string)[] Step1 =
        [(1, "batch", "indices", "b"), (1, "rng", "cpu", "r"), (1, "forward", "input", "i"), (1, "forward", "conv1", "c"), (1, "backward", "conv1.w", "g"), (1, "update", "conv1.w", "u")];

    [Fact]
    public void Identical_traces_have_no_divergence() =>
        Assert.Null(DivergenceLocator.Locate(Trace(Step1), Trace(Step1), initialWeightsMatched: true));

    [Theory]
    [InlineData(3, "forward", "conv1", "input", true)]
    [InlineData(4, "backward", "conv1.w", "forward pass", true)]
    [InlineData(5, "update", "conv1.w", "gradients", true)]
    [InlineData(1, "rng", "cpu", null, null)]
    public void First_differing_entry_is_named_with_its_input(int index, string phase, string name, string? input, bool? matched)
    {
        var changed = Step1.ToArray();
        changed[index] = (changed[index].Item1, changed[index].Item2, changed[index].Item3, "other");
        var divergence = DivergenceLocator.Locate(Trace(Step1), Trace(changed), initialWeightsMatched: true);
        Assert.Equal(new FirstDivergence(1, 1, phase, name, input, matched), divergence);
    }

    [Fact]
    public void Different_initial_weights_mean_the_first_stage_inputs_did_not_all_match()
    {
        var changed = Step1.ToArray();
        changed[3] = (1, "forward", "conv1", "other");
        var divergence = DivergenceLocator.Locate(Trace(Step1), Trace(changed), initialWeightsMatched: false);
        Assert.False(divergence!.InputsMatched);
    }

    [Fact]
    public void A_hooked_module_whose_input_came_from_a_different_batch_tensor_names_the_model_input()
    {
        static List<TraceEntry> Hooked(string input) =>
        [
            new(1, 1, "batch", "indices", "b"), new(1, 1, "rng", "cpu", "r"),
            new(1, 1, "forward", "block.fc", "fc-" + input, input), new(1, 1, "forward", "block", "block-" + input, input),
            new(1, 1, "forward", ModuleHooks.Root, "out-" + input, input),
        ];
        Assert.Equal(new FirstDivergence(1, 1, "forward", "input", "batch (sample indices)", true), DivergenceLocator.Locate(Hooked("x"), Hooked("y"), initialWeightsMatched: true));
    }

    [Fact]
    public void A_hooked_module_whose_input_differs_inside_the_model_is_named_itself()
    {
        static List<TraceEntry> Hooked(string inner) =>
        [
            new(1, 1, "batch", "indices", "b"), new(1, 1, "forward", "block.fc", "fc", "x"),
            new(1, 1, "forward", "block.act", "act-" + inner, "t-" + inner), new(1, 1, "forward", ModuleHooks.Root, "out-" + inner, "x"),
        ];
        var divergence = DivergenceLocator.Locate(Hooked("1"), Hooked("2"), initialWeightsMatched: true)!;
        Assert.Equal(("block.act", (bool?)false), (divergence.Name, divergence.InputsMatched));
    }

    [Fact]
    public void A_later_step_is_found_after_identical_earlier_steps()
    {
        var step2 = Step1.Select(e => (2L, e.Item2, e.Item3, e.Item4)).ToArray();
        var changed = step2.ToArray();
        changed[2] = (2, "forward", "input", "other");
        var divergence = DivergenceLocator.Locate(Trace([.. Step1, .. step2]), Trace([.. Step1, .. changed]), initialWeightsMatched: true);
        Assert.Equal(2, divergence!.Step);
        Assert.Equal("batch (sample indices)", divergence.Input);
    }
}
