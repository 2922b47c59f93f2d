using TorchSharp;
using Repro.Tests.Doctor;
using static TorchSharp.torch;

namespace Repro.Tests.Distributed;

// A two-layer MLP on generated data with dropout drawn per micro-batch from MicroBatchRandom: the model
// the data-parallel proofs train, once through the harness (DataParallelCheck) and once per rank of a
// simulated world (SimulatedTraining), with the same code for the data, the model and the micro-batch step.
internal static class TinyMlp
{
    internal const int Samples = 96, Inputs = 6, Hidden = 16, Classes = 3, BatchSize = 32;

    internal static (float[] Features, long[] Labels) Data(long seed)
    {
        var random = RandomStreams.Create(seed, "tiny-mlp-data");
        var features = new float[Samples * Inputs];
        var labels = new long[Samples];
        for (var i = 0; i < Samples; i++)
        {
            labels[i] = random.Next(Classes);
            for (var f = 0; f < Inputs; f++) features[i * Inputs + f] = (float)(random.NextGaussian() + (f % Classes == labels[i] ? 1.5 : 0));
        }
        return (features, labels);
    }

    internal static nn.Module<Tensor, Tensor> Create() => nn.Sequential(("hidden", nn.Linear(Inputs, Hidden)), ("relu", nn.ReLU()), ("head", nn.Linear(Hidden, Classes)));

    // One micro-batch's forward and backward with its mean loss; the dropout mask comes from a generator of the
    // micro-batch's own seed, or (null) from torch's generator as nn.Dropout draws it.
    internal static void Step(nn.Module<Tensor, Tensor> model, Tensor features, Tensor labels, ArraySegment<int> samples, long? seed)
    {
        using var scope = NewDisposeScope();
        var index = tensor(samples.ToArray(), device: features.device);
        var x = features.index_select(0, index);
        var dropped = seed is { } own
            ? x * rand(x.shape, generator: new Generator((ulong)own)).to(x.device).ge(0.2).to_type(x.dtype) / 0.8
            : nn.functional.dropout(x, 0.2, training: true);
        var logits = model.call(dropped);
        nn.functional.cross_entropy(logits, labels.index_select(0, index)).backward();
    }

    internal static List<byte[]> Weights(nn.Module model) => [.. model.parameters().Select(p => p.detach().cpu().contiguous().bytes.ToArray())];
}
