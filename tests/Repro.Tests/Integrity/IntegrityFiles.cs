using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Repro.Tests.Integrity;

// Files as Repro writes them (sealed), and the hostile file system objects of issue 26, for the row
// tests and the tamper suite. No training: every file is built by hand.
internal static class IntegrityFiles
{
    internal const string Test = Fleet.Test;

    internal static BaselineFile CpuRun(double loss = 1.0) => BaselineFiles.File(BaselineFiles.Fingerprint(loss), Test);

    /// <summary>Writes <paramref name="file"/> sealed, as Repro itself writes received and verified files.</summary>
    internal static string WriteSealed(string path, BaselineFile file)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, BaselineSeal.ToJson(file));
        return path;
    }

    internal static JsonObject Node(string path) => (JsonObject)JsonNode.Parse(File.ReadAllText(path))!;

    internal static void Save(string path, JsonNode node) => File.WriteAllText(path, node.ToJsonString(ReproJson.Options));

    internal static void MakeFifo(string path)
    {
        using var process = Process.Start(new ProcessStartInfo("mkfifo", [path]) { UseShellExecute = false })!;
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"mkfifo {path} failed");
    }

    /// <summary>Every file under <paramref name="root"/> with its bytes, to show that a refused operation wrote or deleted nothing.</summary>
    internal static Dictionary<string, string> Snapshot(string root) =>
        Directory.EnumerateFiles(root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint })
            .ToDictionary(p => p, p => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(p))), StringComparer.Ordinal);

    /// <summary>A checkpoint folder written by Repro's own writer with a small hand-made manifest (schema 3, sealed).</summary>
    internal static string Checkpoint(string root)
    {
        var position = CheckpointPosition.AfterEpoch(1);
        var tensors = new[] { new SafeTensor("generator.cpu", "U8", [4], [1, 2, 3, 4]) };
        using var settings = System.Text.Json.JsonDocument.Parse("{\"epochs\": 2}");
        var settingsElement = settings.RootElement.Clone();
        return CheckpointFolder.Write(root, position, tensors, file => new CheckpointManifest
        {
            Format = CheckpointManifest.FormatName,
            SchemaVersion = CheckpointManifest.CurrentSchemaVersion,
            Check = "tiny",
            ConfigHash = "c",
            Settings = settingsElement,
            Device = "cpu",
            EnvironmentKey = BaselineFiles.Key,
            Position = new CheckpointPositionRecord(1, 3, true, 3, 3, false),
            DataHash = "d",
            InitialModelHash = "i",
            Epochs = [DualTaskRuns.Epoch(1, 1.25, 1.0, 0.25, 80.0, 1000.0, 0.5, "order-1")],
            EpochSums = [],
            Optimizer = new CheckpointOptimizerRecord("ReproAdamW", 3),
            CheckValues = new Dictionary<string, System.Text.Json.JsonElement>(),
            Tensors = file,
        });
    }
}
