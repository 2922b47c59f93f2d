using System.Text.Json.Nodes;
using Repro.Xunit;
using Xunit;

namespace Repro.DualTask.Tests.EndToEnd;

[Collection(ReproCollection.Name)]
public sealed class CrossProcessReproducibilityTests : IDisposable
{
    readonly string _directory = Directory.CreateTempSubdirectory("repro-pipeline-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [CpuFact(DisplayName = "Pipeline: 'repro run' in two separate processes gives identical fingerprints, equal to this process's")]
    public void Two_processes_are_identical()
    {
        var config = Path.Combine(_directory, "config.json");
        File.WriteAllText(config, ReproJson.Serialize(PipelineConfigs.Baseline));

        var first = RunCli(config, "first.json");
        var second = RunCli(config, "second.json");

        Assert.Equal(first.ToJsonString(), second.ToJsonString());
        Assert.Equal(2, first["epochs"]!.AsArray().Count);
        // And a child process reproduces the test process, so neither can hide a process-level leak.
        var here = JsonNode.Parse(PipelineConfigs.Json(PipelineConfigs.BaselineFingerprint))!;
        Assert.Equal(here.ToJsonString(), first.ToJsonString());
    }

    JsonNode RunCli(string config, string name)
    {
        var output = Path.Combine(_directory, name);
        // --device explicitly: the CLI's --device default (auto) would replace the file's device and so its config hash.
        var (exitCode, text) = CliProcess.Run("run", "--config", config, "--device", "cpu", "--out", output);
        Assert.True(exitCode == 0, $"repro run exited with {exitCode}:\n{text}");
        // The learning curves at a glance (LearningCurve.Summary), and the naive baseline beside the final metrics.
        Assert.Contains("Learning curves (2 epochs, first -> last):", text);
        Assert.Matches(@"\n  validationRmse +[0-9.e+-]+ -> [0-9.e+-]+  [▁▂▃▄▅▆▇█]{2}", text);
        Assert.Contains("Evaluation naive: trainMeanRul ", text);
        var run = JsonNode.Parse(File.ReadAllText(output))!;
        return run["fingerprint"] ?? throw new InvalidOperationException($"{output} has no 'fingerprint' object:\n{run}");
    }
}
