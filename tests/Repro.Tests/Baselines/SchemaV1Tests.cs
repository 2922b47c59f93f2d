using System.Text.Json.Nodes;
using Xunit;

namespace Repro.Tests.Baselines;

// The committed schema-1 baselines (CPU, H100, H200) must keep verifying without re-approval, so
// reading one must give every number of the file, bit for bit, under a named metric.
public sealed class SchemaV1Tests
{
    public static TheoryData<string> CommittedV1Baselines()
    {
        var data = new TheoryData<string>();
        // The committed baselines of schema 1, and those retired from snapshots/ when their numbers were re-approved
        // (Formats/: the CPU and H100 baselines of issue 11's time), so that the reader of old files stays tested.
        var folders = new[] { Path.Combine(RepoPaths.Root, "snapshots"), Path.Combine(RepoPaths.Root, "tests", "Repro.Tests", "Baselines", "Formats") };
        foreach (var path in folders.SelectMany(f => Directory.EnumerateFiles(f, "*" + BaselineStore.VerifiedSuffix, SearchOption.AllDirectories)).Order(StringComparer.Ordinal))
            if (JsonNode.Parse(File.ReadAllText(path))?["schemaVersion"]?.GetValue<int>() == 1)
                data.Add(Path.GetRelativePath(RepoPaths.Root, path));
        return data;
    }

    [Theory]
    [MemberData(nameof(CommittedV1Baselines))]
    public void A_schema_1_baseline_reads_as_named_metrics_with_every_number_unchanged(string relativePath)
    {
        var path = Path.Combine(RepoPaths.Root, relativePath);
        var raw = JsonNode.Parse(File.ReadAllText(path))!["fingerprint"]!;
        var read = BaselineStore.Read(path).Fingerprint;

        var rawEpochs = raw["epochs"]!.AsArray();
        Assert.Equal(rawEpochs.Count, read.Epochs.Count);
        for (var e = 0; e < rawEpochs.Count; e++)
        {
            var fields = rawEpochs[e]!.AsObject().Where(f => f.Key is not ("epoch" or "batchOrderHash")).ToList();
            Assert.Equal(fields.Select(f => f.Key), read.Epochs[e].Metrics.Keys);
            foreach (var (name, value) in fields)
                Assert.Equal(BitConverter.DoubleToInt64Bits(value!.GetValue<double>()), BitConverter.DoubleToInt64Bits(read.Epochs[e].Metrics[name]));
            Assert.Equal(rawEpochs[e]!["batchOrderHash"]!.GetValue<string>(), read.Epochs[e].BatchOrderHash);
        }
        foreach (var (field, value) in raw["test"]!.AsObject().Where(f => f.Key != "units"))
            Assert.Equal(value!.GetValue<double>(), read.Final["test" + char.ToUpperInvariant(field[0]) + field[1..]]);
        Assert.Equal(raw["modelHash"]!.GetValue<string>(), read.ModelHash);
        Assert.Equal(raw["tensors"]!.AsArray().Count, read.Tensors.Count);
    }
}
