using System.Text.Json.Nodes;
using Repro.Xunit;
using Xunit;
using Repro.Tests.Doctor;
using static TorchSharp.torch;

namespace Repro.Tests.Checkpoints;

// The epoch's running sums are the harness's (context.Sums): a mid-epoch checkpoint stores them and
// the resumed epoch continues from their bits, with no SaveState in the check.
[Collection(ReproCollection.Name)]
public sealed class EpochSumsResumeTests : IDisposable
{
    readonly string _directory = Directory.CreateTempSubdirectory("repro-sums-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    static TrainingFingerprint Uninterrupted => TrainingRuns.Get(() => new SumsCheck()).Fingerprint;

    [CpuFact(DisplayName = "Epoch sums: a check with context.Sums and no SaveState resumed after step 3 of epoch 2 ends with the uninterrupted fingerprint")]
    public void Mid_epoch_resume_keeps_the_sums()
    {
        var checkpoint = ResumeHelpers.StopAt(new SumsCheck(), _directory, CheckpointPosition.AfterStep(2, 3));
        Assert.Equal(ResumeHelpers.Json(Uninterrupted), ResumeHelpers.Json(ResumeHelpers.Resume(new SumsCheck(), checkpoint)));
    }

    [CpuFact(DisplayName = "Epoch sums: the same sums kept in the check's own tensor (same ops, same uninterrupted numbers) lose the steps before a mid-epoch checkpoint")]
    public void Own_sums_are_lost_on_a_mid_epoch_resume()
    {
        // The control trains the same numbers uninterrupted, so the harness's sums add exactly as add_ did
        // (another check class: only the recorded code differs).
        Assert.Equal(ResumeHelpers.Json(Uninterrupted with { Code = null }), ResumeHelpers.Json(TrainingHarness.Train(new OwnSumsCheck()).Fingerprint with { Code = null }));
        var checkpoint = ResumeHelpers.StopAt(new OwnSumsCheck(), _directory, CheckpointPosition.AfterStep(2, 3));
        var resumed = ResumeHelpers.Resume(new OwnSumsCheck(), checkpoint);
        // The training itself resumed exactly; only the epoch's metrics, summed over its steps, moved.
        Assert.Equal(Uninterrupted.ModelHash, resumed.ModelHash);
        Assert.Equal(Uninterrupted.Epochs[0].Metrics["loss"], resumed.Epochs[0].Metrics["loss"]);
        Assert.NotEqual(Uninterrupted.Epochs[1].Metrics["loss"], resumed.Epochs[1].Metrics["loss"]);
        Assert.NotEqual(Uninterrupted.Epochs[1].Metrics["accuracy"], resumed.Epochs[1].Metrics["accuracy"]);
    }

    [CpuFact(DisplayName = "Epoch sums: a mid-epoch checkpoint lists them in its manifest and holds their float64 bits")]
    public void Checkpoint_holds_the_sums()
    {
        var checkpoint = ResumeHelpers.StopAt(new SumsCheck(), _directory, CheckpointPosition.AfterStep(2, 3));
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(checkpoint, "manifest.json")))!;
        var record = manifest["epochSums"]!.AsArray().Single()!;
        Assert.Equal(["loss", "correct"], record["names"]!.AsArray().Select(n => (string)n!));
        var stored = SafeTensors.Read(Path.Combine(checkpoint, "tensors.safetensors"))[(string)record["tensor"]!];
        Assert.Equal("F64", stored.DType);
        using var values = TensorBytes.ToTensor(stored);
        var sums = values.data<double>().ToArray();
        // Three batches of 16 were summed: 48 samples, so between 0 and 48 correct and a positive loss sum.
        Assert.InRange(sums[1], 0, 48);
        Assert.Equal(Math.Round(sums[1]), sums[1]);
        Assert.True(sums[0] > 0, $"loss sum {sums[0]}");

        var end = ResumeHelpers.StopAt(new SumsCheck(), Path.Combine(_directory, "end"), CheckpointPosition.AfterEpoch(1));
        Assert.Empty(JsonNode.Parse(File.ReadAllText(Path.Combine(end, "manifest.json")))!["epochSums"]!.AsArray());
    }

    [CpuFact(DisplayName = "Epoch sums: a schema 1 checkpoint is still resumed at an epoch's end, and refused by name inside an epoch whose sums it lacks")]
    public void Schema_1_checkpoints()
    {
        var end = AsSchema1(ResumeHelpers.StopAt(new SumsCheck(), Path.Combine(_directory, "end"), CheckpointPosition.AfterEpoch(1)));
        Assert.Equal(ResumeHelpers.Json(Uninterrupted), ResumeHelpers.Json(ResumeHelpers.Resume(new SumsCheck(), end)));

        var inside = AsSchema1(ResumeHelpers.StopAt(new SumsCheck(), Path.Combine(_directory, "inside"), CheckpointPosition.AfterStep(2, 3)));
        var error = Assert.Throws<ReproException>(() => ResumeHelpers.Resume(new SumsCheck(), inside));
        Assert.Equal(
            $"Cannot resume from checkpoint {inside}: it was taken inside epoch 2 by an older Repro (checkpoint schema 1), which did not store the epoch's context.Sums, " +
                "and this check keeps its sums (loss, correct) there, so the resumed epoch would lose the steps before the checkpoint. Resume from a checkpoint taken at the end of an epoch, " +
                "or train again from the start.",
            error.Message);
    }

    [CpuFact(DisplayName = "Epoch sums: a resumed check that asks for other sums than the checkpoint holds is refused, naming both")]
    public void Other_sums_are_refused()
    {
        var checkpoint = ResumeHelpers.StopAt(new SumsCheck(), _directory, CheckpointPosition.AfterStep(2, 3));
        var error = Assert.Throws<ReproException>(() => ResumeHelpers.Resume(new RenamedSums(), checkpoint));
        Assert.Equal(
            $"Cannot resume from checkpoint {checkpoint}: the epoch sums #1 it holds are (loss, correct) and this check asks for (loss, hits): " +
                "the check's code changed since the checkpoint was written. Resume with the code that wrote it, or start again.",
            error.Message);
    }

    [CpuFact(DisplayName = "Epoch sums: Add takes one value per name (or a scalar for one name), converts to float64, and the sums end with their epoch")]
    public void Add_and_totals()
    {
        var sums = new EpochSums(["loss", "correct"], zeros(2, dtype: ScalarType.Float64));
        using (var values = tensor(new[] { 0.1f, 3f })) sums.Add(values);
        using (var values = tensor(new[] { 0.2, 2.0 })) sums.Add(values);
        using (var row = tensor(new[] { 0.3f, 1f }).reshape(1, 2)) sums.Add(row);
        Assert.Equal(new Dictionary<string, double> { ["loss"] = (double)0.1f + 0.2 + (double)0.3f, ["correct"] = 6 }, sums.Totals());
        using (var three = tensor(new[] { 1f, 2f, 3f }))
            Assert.Equal("The epoch sums (loss, correct) take 2 value(s) per Add, and this tensor has 3 (shape [3]). Pass one value per name, in that order: stack([...]).",
                Assert.Throws<ReproException>(() => sums.Add(three)).Message);
        sums.Dispose();
        Assert.Contains("belong to an epoch that has ended", Assert.Throws<ReproException>(() => sums.Totals()).Message);

        var single = new EpochSums(["loss"], zeros(1, dtype: ScalarType.Float64));
        using (var scalar = tensor(0.25f)) single.Add(scalar);
        Assert.Equal(0.25, single.Totals()["loss"]);
        single.Dispose();
    }

    // What an older Repro wrote: schema 1, no epochSums in the manifest.
    static string AsSchema1(string checkpoint)
    {
        var path = Path.Combine(checkpoint, "manifest.json");
        var manifest = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        manifest["schemaVersion"] = 1;
        Assert.True(manifest.Remove("epochSums"));
        File.WriteAllText(path, manifest.ToJsonString());
        return checkpoint;
    }

    sealed class RenamedSums : SumsCheck
    {
        public override string Name => nameof(SumsCheck);

        protected override object StartSums(EpochContext context) => context.Sums("loss", "hits");

        protected override double[] Totals(object sums)
        {
            var totals = ((EpochSums)sums).Totals();
            return [totals["loss"], totals["hits"]];
        }
    }
}
