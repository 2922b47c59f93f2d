using Xunit;
using Repro.Tests.Doctor;

namespace Repro.Tests.Baselines;

// The first moved piece of state, on hand-made traces: data stages first (same items reordered is named
// as such), then initial weights, then per epoch generator, order, weights and optimizer.
public sealed class TraceComparisonTests
{
    static TrainingFingerprint Run(TrainingTrace trace, string initial = "init", params string[] orders) => new()
    {
        Name = "t", Device = "cpu", ConfigHash = "c", ConfiguredEpochs = trace.Epochs.Count, DataHash = "d", InitialModelHash = initial,
        Epochs = [.. trace.Epochs.Select((e, i) => new EpochRecord(e.Epoch, new Metrics { ["loss"] = 1 }, orders.Length > i ? orders[i] : "o"))],
        Tensors = [], ModelHash = "m", OptimizerStateHash = "s", OptimizerSteps = 1, Trace = trace,
    };

    static readonly TrainingTrace Base = new()
    {
        Data = [new DataStageRecord("units", "u", 10, "set"), new DataStageRecord("statistics", "s", 4)],
        Epochs = [new EpochTraceRecord(1, "g1", "w1", "o1"), new EpochTraceRecord(2, "g2", "w2", "o2")],
    };

    static MovedState? FirstMoved(TrainingFingerprint current) => TraceComparison.FirstMoved(Run(Base), current);

    [Fact]
    public void Identical_traces_name_nothing() => Assert.Null(FirstMoved(Run(Base)));

    [Fact]
    public void Same_items_in_another_order_are_named_as_a_reordering()
    {
        var moved = FirstMoved(Run(Base with { Data = [new DataStageRecord("units", "u2", 10, "set"), Base.Data[1]] }))!;
        Assert.Equal(("data", "units", true), (moved.Piece, moved.Stage, moved.SameItemsReordered));
        Assert.Contains("same items in another order", moved.Description);
    }

    [Fact]
    public void A_stage_after_identical_ones_is_named_with_them()
    {
        var moved = FirstMoved(Run(Base with { Data = [Base.Data[0], new DataStageRecord("statistics", "s2", 4)] }))!;
        Assert.Equal(("data", "statistics", false), (moved.Piece, moved.Stage, moved.SameItemsReordered));
        Assert.Contains("'units' identical before it", moved.Description);
    }

    [Fact]
    public void Initial_weights_come_before_the_epochs() =>
        Assert.Equal("initial-weights", FirstMoved(Run(Base with { Epochs = [new EpochTraceRecord(1, "x", "x", "x")] }, initial: "other"))!.Piece);

    [Theory]
    [InlineData(1, "g", "generator", 2)]
    [InlineData(0, "w", "weights", 1)]
    [InlineData(1, "w", "weights", 2)]
    [InlineData(1, "o", "optimizer", 2)]
    public void The_first_moved_piece_of_an_epoch_is_named(int index, string field, string piece, int epoch)
    {
        var epochs = Base.Epochs.ToArray();
        epochs[index] = field switch
        {
            "g" => epochs[index] with { GeneratorAtStart = "other" },
            "w" => epochs[index] with { ModelAtEnd = "other", OptimizerAtEnd = "other" },
            _ => epochs[index] with { OptimizerAtEnd = "other" },
        };
        var moved = FirstMoved(Run(Base with { Epochs = epochs }))!;
        Assert.Equal((piece, (int?)epoch), (moved.Piece, moved.Epoch));
    }

    [Fact]
    public void The_cuda_generator_is_named_after_an_identical_cpu_generator()
    {
        var onCuda = Base with { Epochs = [.. Base.Epochs.Select(e => e with { CudaGeneratorAtStart = "c" + e.Epoch })] };
        var epochs = onCuda.Epochs.ToArray();
        epochs[1] = epochs[1] with { CudaGeneratorAtStart = "other" };

        var moved = TraceComparison.FirstMoved(Run(onCuda), Run(onCuda with { Epochs = epochs }))!;

        Assert.Equal(("generator", (int?)2), (moved.Piece, moved.Epoch));
        Assert.Contains("weights identical after epoch 1 and CPU generator identical, CUDA generator state differs at the start of epoch 2", moved.Summary);
        Assert.Contains("on the GPU", moved.Meaning);
        // A trace without CUDA digests (a CPU run, or one recorded before they existed) compares as before.
        Assert.Null(TraceComparison.FirstMoved(Run(Base), Run(onCuda with { Epochs = epochs })));
    }

    [Fact]
    public void A_cpu_trace_serialises_without_a_cuda_digest() =>
        Assert.DoesNotContain("cuda", ReproJson.Serialize(Base), StringComparison.OrdinalIgnoreCase);

    [Fact]
    public void A_reordered_epoch_is_named_after_an_identical_generator()
    {
        var moved = FirstMoved(Run(Base, "init", "o", "reordered"))!;
        Assert.Equal(("order", (int?)2), (moved.Piece, moved.Epoch));
    }

    [Fact]
    public void No_trace_on_either_side_names_nothing() =>
        Assert.Null(TraceComparison.FirstMoved(Run(Base) with { Trace = null }, Run(Base)));
}
