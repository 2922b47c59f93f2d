using System.Text.Json.Nodes;

namespace Repro.Tests.Support.DualTask;

// Inputs small enough to train in a fraction of a second, so properties can afford to train them.
internal static class TinyInputs
{
    internal static DualTaskConfig Config { get; } = DualTaskConfig.Small with
    {
        Name = "tiny",
        Epochs = 1,
        BatchSize = 64,
        Data = DataSource.SmallSynthetic with { Synthetic = new SyntheticCmapssOptions { TrainUnits = 3, TestUnits = 2, MinLife = 40, MaxLife = 60 } },
    };

    internal static JsonNode ConfigJson() => JsonNode.Parse(ReproJson.Serialize(Config))!;

    internal static string Write(string directory, string fileName, string text)
    {
        var path = Path.Combine(directory, fileName);
        File.WriteAllText(path, text);
        return path;
    }
}
