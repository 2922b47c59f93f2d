using Repro;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace QuickStart;

/// <summary>A small CNN that learns to tell 12x12 images of a horizontal bar, a vertical bar and a diagonal apart.</summary>
public sealed class ShapesCheck : TrainingCheck
{
    const int Size = 12, Count = 384, BatchSize = 32;
    Tensor _images = null!, _labels = null!;
    Module<Tensor, Tensor> _model = null!;

    public double LearningRate { get; init; } = 0.003;

    public override int Epochs => 3;

    // Stored in the baseline; a baseline recorded with other settings is reported as a configuration change.
    public override object Settings => new { Epochs, LearningRate, Count, BatchSize };

    protected override string PrepareData(TrainingContext context)
    {
        var random = context.Random("images"); // the same numbers in every run, process and machine
        var pixels = new float[Count * Size * Size];
        var labels = new long[Count];
        for (var i = 0; i < Count; i++)
        {
            labels[i] = random.Next(3);
            var line = random.Next(2, Size - 2);
            for (var p = 0; p < Size * Size; p++) pixels[i * Size * Size + p] = (float)(0.3 * random.NextGaussian());
            for (var j = 0; j < Size; j++)
            {
                var (row, column) = labels[i] switch { 0 => (line, j), 1 => (j, line), _ => (j, j) };
                pixels[(i * Size + row) * Size + column] += 1;
            }
        }
        _images = tensor(pixels, [Count, 1, Size, Size]).to(context.Device);
        _labels = tensor(labels).to(context.Device);
        var hash = new ContentHasher();
        hash.Add(pixels);
        hash.Add(labels);
        return hash.Finish();
    }

    protected override Module CreateModel(TrainingContext context) => _model = Sequential(
        ("conv1", Conv2d(1, 8, 3, padding: 1)),
        ("norm1", BatchNorm2d(8)),
        ("relu1", ReLU()),
        ("pool1", MaxPool2d(2)),
        ("conv2", Conv2d(8, 16, 3, padding: 1)),
        ("relu2", ReLU()),
        ("pool2", MaxPool2d(2)),
        ("flatten", Flatten()),
        ("dropout", Dropout(0.25)),
        ("head", Linear(16 * 3 * 3, 3)));

    protected override optim.Optimizer CreateOptimizer(Module model, TrainingContext context) =>
        optim.AdamW(model.parameters(), lr: LearningRate);

    protected override Metrics TrainEpoch(EpochContext context)
    {
        _model.train();
        var sums = context.Sums("loss", "correct"); // on the device; checkpointed with the run
        foreach (var batch in context.Batches(Count, BatchSize)) // each one a step; a resumed run skips those done
        {
            using var scope = NewDisposeScope();
            var index = tensor(batch.ToArray(), device: context.Training.Device);
            var labels = _labels.index_select(0, index);
            var logits = _model.call(_images.index_select(0, index));
            var loss = functional.cross_entropy(logits, labels);
            loss.backward();
            context.Update(); // optimizer.step() and zero_grad()
            sums.Add(stack([loss.detach() * batch.Count, logits.argmax(1).eq(labels).sum()]));
        }
        var totals = sums.Totals();
        return new Metrics { ["loss"] = totals["loss"] / Count, ["accuracy"] = totals["correct"] / Count };
    }

    protected override void Dispose(bool disposing)
    {
        _images?.Dispose();
        _labels?.Dispose();
    }
}
