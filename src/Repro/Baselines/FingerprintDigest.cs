using System.Globalization;
using System.Text;

namespace Repro;

// "The same numbers, bit for bit" as one hash: everything a check compares (config hash, data and
// order hashes, every metric's bits, every tensor hash, model and optimizer hashes), nothing about the
// machine. Metric names are taken in ordinal order, so a schema 1 baseline mapped in memory and a
// schema 2 run of the same numbers give the same digest. Evaluation records (never compared) are left out.
internal static class FingerprintDigest
{
    internal static string Of(TrainingFingerprint fingerprint)
    {
        var text = new StringBuilder();
        text.Append("name=").Append(fingerprint.Name).Append('\n')
            .Append("device=").Append(fingerprint.Device).Append('\n')
            .Append("config=").Append(fingerprint.ConfigHash).Append('\n')
            .Append("configuredEpochs=").Append(I(fingerprint.ConfiguredEpochs)).Append('\n')
            .Append("data=").Append(fingerprint.DataHash).Append('\n')
            .Append("initialModel=").Append(fingerprint.InitialModelHash).Append('\n');
        foreach (var epoch in fingerprint.Epochs)
        {
            text.Append("epoch=").Append(I(epoch.Epoch)).Append(" order=").Append(epoch.BatchOrderHash);
            // Only where recorded, so that digests of every baseline without it stay what they were.
            if (epoch.ConsumedOrderHash is { } consumed) text.Append(" consumed=").Append(consumed);
            AppendMetrics(text, epoch.Metrics);
        }
        foreach (var tensor in fingerprint.Tensors)
            text.Append("tensor=").Append(tensor.Name).Append(' ').Append(tensor.Kind).Append(' ')
                .AppendJoin('x', tensor.Shape.Select(d => d.ToString(CultureInfo.InvariantCulture))).Append(' ')
                .Append(tensor.DType).Append(' ').Append(tensor.Hash).Append('\n');
        text.Append("model=").Append(fingerprint.ModelHash).Append('\n')
            .Append("optimizer=").Append(fingerprint.OptimizerStateHash).Append(" steps=").Append(fingerprint.OptimizerSteps.ToString(CultureInfo.InvariantCulture)).Append('\n')
            .Append("best=").Append(fingerprint.BestEpoch?.ToString(CultureInfo.InvariantCulture) ?? "-").Append(" stoppedEarly=").Append(fingerprint.StoppedEarly ? '1' : '0');
        text.Append(" final");
        AppendMetrics(text, fingerprint.Final);
        return TensorHasher.HashBytes(Encoding.UTF8.GetBytes(text.ToString()));
    }

    static void AppendMetrics(StringBuilder text, IReadOnlyDictionary<string, double> metrics)
    {
        // The bits of each double, not a decimal rendering: -0.0 and NaN payloads count too.
        foreach (var (name, value) in metrics.OrderBy(m => m.Key, StringComparer.Ordinal))
            text.Append(' ').Append(name).Append('=').Append(BitConverter.DoubleToInt64Bits(value).ToString("x16", CultureInfo.InvariantCulture));
        text.Append('\n');
    }

    static string I(int value) => value.ToString(CultureInfo.InvariantCulture);
}
