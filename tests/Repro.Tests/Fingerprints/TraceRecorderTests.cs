using Repro.Xunit;
using Xunit;

namespace Repro.Tests.Fingerprints;

// The trace recorder's bookkeeping without a training: a snapshot restored into a fresh recorder
// continues exactly where the first left off (what a checkpoint and resume rely on), and data stages
// are refused when unnamed or recorded twice. In the training collection: building a module draws from
// torch's process-wide generator, which a training running beside it would feel.
[Collection(ReproCollection.Name)]
public sealed class TraceRecorderTests
{
    [Fact]
    public void A_restored_snapshot_continues_the_same_trace()
    {
        var first = new TraceRecorder();
        first.AddStage("units", "h", 3, null, null);
        first.EpochStarting(cuda: false);
        using var model = TorchSharp.torch.nn.Linear(2, 1);
        using var optimizer = new ReproAdamW(model);
        first.EpochEnded(1, model, optimizer, 0);
        first.EpochStarting(cuda: false);
        var snapshot = ReproJson.Deserialize<TraceSnapshot>(ReproJson.Serialize(first.Snapshot()));

        var resumed = new TraceRecorder();
        resumed.AddStage("units", "h", 3, null, null);
        resumed.Restore(snapshot);
        first.EpochEnded(2, model, optimizer, 0);
        resumed.EpochEnded(2, model, optimizer, 0);

        Assert.Equal(ReproJson.Serialize(first.Finish()), ReproJson.Serialize(resumed.Finish()));
        Assert.Equal(2, resumed.Finish().Epochs.Count);
    }

    [Fact]
    public void A_checkpointed_cuda_generator_digest_reaches_the_resumed_epoch_record()
    {
        // As a checkpoint written mid-epoch on CUDA carries it: the epoch's start is not replayed on resume.
        var written = new TraceSnapshot([], "cpu-digest", [2], CudaGeneratorAtStart: "cuda-digest");
        var snapshot = ReproJson.Deserialize<TraceSnapshot>(ReproJson.Serialize(written));
        var resumed = new TraceRecorder();
        resumed.Restore(snapshot);
        using var model = TorchSharp.torch.nn.Linear(2, 1);
        using var optimizer = new ReproAdamW(model);
        resumed.EpochEnded(1, model, optimizer, 0);

        var record = Assert.Single(resumed.Finish().Epochs);
        Assert.Equal(("cpu-digest", "cuda-digest"), (record.GeneratorAtStart, record.CudaGeneratorAtStart));
        Assert.Contains("\"cudaGeneratorAtStart\"", ReproJson.Serialize(record));
    }

    [Theory]
    [InlineData("")]
    [InlineData("units")]
    public void A_stage_without_a_name_or_recorded_twice_is_refused(string name)
    {
        var recorder = new TraceRecorder();
        recorder.AddStage("units", "h", 1, null, null);
        var error = Assert.Throws<ReproException>(() => recorder.AddStage(name, "h", 1, null, null));
        Assert.Contains(name.Length == 0 ? "needs a name" : "recorded twice", error.Message);
    }

    [Fact]
    public void The_item_set_digest_ignores_order_and_the_ordered_one_does_not()
    {
        var (ordered, set) = TraceRecorder.Digest(["a", "b", "c"]);
        var (reordered, sameSet) = TraceRecorder.Digest(["c", "a", "b"]);
        Assert.NotEqual(ordered, reordered);
        Assert.Equal(set, sameSet);
        Assert.NotEqual(TraceRecorder.Digest<float>([1f, 2f]), TraceRecorder.Digest<float>([1f, 2f, 0f]));
    }
}
