using System.Text.Json.Nodes;
using CsCheck;
using Repro.Xunit;
using Xunit;

namespace Repro.DualTask.Tests.Training;

// Each config field a user can get wrong, refused when the file is loaded (before libtorch or data)
// with one line naming the field and its value. These rows are the config part of docs/bad-input.md.
[Collection(ReproCollection.Name)]
public sealed class ConfigValidationTests
{
    [Theory]
    [InlineData("model.hiddenSize", "0", "HiddenSize=0")]
    [InlineData("model.hiddenSize", "33", "HiddenSize=33")]
    [InlineData("model.attentionHeads", "5", "AttentionHeads=5")]
    [InlineData("model.conv2Channels", "-1", "Conv2Channels=-1")]
    [InlineData("model.healthClasses", "2", "HealthClasses=2")]
    [InlineData("model.inputSize", "14", "InputSize=14")]
    [InlineData("model.dropout", "1", "Dropout=1")]
    [InlineData("model.attentionDropout", "\"NaN\"", "AttentionDropout=NaN")]
    [InlineData("model.attention", "\"flash\"", "DualTaskModelConfig.Attention='flash' is not one of: module, sdpa")]
    [InlineData("model.attention", "\"SDPA\"", "DualTaskModelConfig.Attention='SDPA' is not one of: module, sdpa")]
    [InlineData("model.attention", "1", "DualTaskModelConfig.Attention must be a string, one of: module, sdpa")]
    [InlineData("model.batchNorm", "\"cudnn9\"", "DualTaskModelConfig.BatchNorm='cudnn9' is not one of: module, cudnn")]
    [InlineData("model.batchNorm", "null", "DualTaskModelConfig.BatchNorm must be a string, one of: module, cudnn")]
    [InlineData("optimizer", "\"adam\"", "DualTaskConfig.Optimizer='adam' is not one of: reference, fused")]
    [InlineData("epochs", "0", "Epochs=0")]
    [InlineData("batchSize", "0", "BatchSize=0")]
    [InlineData("learningRate", "\"Infinity\"", "LearningRate=")]
    [InlineData("weightDecay", "\"NaN\"", "WeightDecay=NaN")]
    [InlineData("emaDecay", "1", "EmaDecay=1")]
    [InlineData("earlyStoppingPatience", "0", "EarlyStoppingPatience=0")]
    [InlineData("data.synthetic.trainUnits", "1", "TrainUnits=1")]
    [InlineData("data.synthetic.testUnits", "0", "TestUnits=0")]
    [InlineData("data.synthetic.maxLife", "10", "MaxLife=10")]
    [InlineData("data.synthetic.regimes", "7", "Regimes=7")]
    [InlineData("data.synthetic.trainUnits", "2000000000", "windows")]
    [InlineData("data.preprocessing.validationFraction", "0", "ValidationFraction=0")]
    [InlineData("data.preprocessing.windowLength", "0", "WindowLength=0")]
    [InlineData("data.cmapssDirectory", "\"/no/such/folder\"", "CmapssDirectory='/no/such/folder'")]
    [InlineData("determinism.intraOpThreads", "0", "IntraOpThreads=0")]
    [InlineData("determinism.cpuCapability", "\"sse9\"", "CpuCapability='sse9'")]
    [InlineData("determinism.cublasWorkspaceConfig", "\"4096\"", "CublasWorkspaceConfig='4096'")]
    [InlineData("determinism.device", "\"tpu\"", "$.determinism.device")]
    [InlineData("determinism.device", "7", "$.determinism.device is 7")]
    [InlineData("determinism.device", "2", "$.determinism.device is 2")] // found by the 10,000-case run: read as the enum's third member, cuda
    [InlineData("model.hiddenSize", "2147483644", "parameters")]
    [InlineData("model.lstmLayers", "2147483647", "LstmLayers")] // found by the 10,000-case run: the estimate looped over the layers for 90 s
    [InlineData("data.synthetic.trainUnits", "1e-3", "$.data.synthetic.trainUnits is 1e-3")] // found by the 10,000-case run: the value was not named
    [InlineData("epochs", "0.5", "$.epochs is 0.5")]
    [InlineData("model", "null", "model")]
    [InlineData("hiddenSize", "64", "'hiddenSize'")]
    [InlineData("model.HiddenSize", "64", "'HiddenSize'")]
    [InlineData("model.hiddenSize", "\"64\"", "hiddenSize")]
    public void An_invalid_field_is_refused_on_load_naming_it(string path, string value, string named)
    {
        using var workspace = new CliWorkspace();
        var json = TinyInputs.ConfigJson();
        Set(json, path, JsonNode.Parse(value));
        var file = TinyInputs.Write(workspace.Root, "config.json", json.ToJsonString());

        var ex = Assert.Throws<ReproException>(() => DualTaskConfigs.Resolve(file));

        Assert.Contains(file, ex.Message);
        Assert.Contains(named, ex.Message);
        Assert.DoesNotContain("\n", ex.Message.TrimEnd());
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("{\"epochs\": 2")]
    public void A_truncated_or_foreign_document_is_refused_with_the_file_and_an_example(string text)
    {
        using var workspace = new CliWorkspace();
        var file = TinyInputs.Write(workspace.Root, "config.json", text);

        var ex = Assert.Throws<ReproException>(() => DualTaskConfigs.Resolve(file));

        Assert.Contains(file, ex.Message);
        Assert.Contains("--print-config", ex.Message);
    }

    [Fact]
    public void Every_valid_field_is_applied_not_dropped()
    {
        using var workspace = new CliWorkspace();
        var json = TinyInputs.ConfigJson();
        json["model"]!["hiddenSize"] = 24;
        json["model"]!["attentionHeads"] = 3;
        json["data"]!["preprocessing"]!["stride"] = 2;
        json["model"]!["attention"] = "sdpa";
        json["model"]!["batchNorm"] = "cudnn";
        json["optimizer"] = "fused";
        var file = TinyInputs.Write(workspace.Root, "config.json", json.ToJsonString());

        var config = DualTaskConfigs.Resolve(file);

        Assert.Equal((24, 3, 2), (config.Model.HiddenSize, config.Model.AttentionHeads, config.Data.Preprocessing.Stride));
        Assert.Equal((AttentionKernel.Sdpa, BatchNormKernel.Cudnn, AdamWKernel.Fused), (config.Model.Attention, config.Model.BatchNorm, config.Optimizer));
    }

    // The memory check refuses a model by its parameter count, computed without building it: prove the
    // formula against the real model for generated sizes.
    [Fact]
    public void The_parameter_estimate_is_the_real_parameter_count()
    {
        var sizes = Gen.Select(Gen.Int[1, 9], Gen.Int[1, 9], Gen.Int[1, 9], Gen.Int[1, 4], Gen.Int[1, 3], Gen.Int[1, 9], Gen.Int[1, 9], Gen.Int[1, 9]);
        Property.Check(sizes, s =>
        {
            var (c1, c2, c3, half, layers, fc, shared, head) = s;
            var heads = half is 3 ? 3 : 2;
            var config = DualTaskModelConfig.Small with
            {
                Conv1Channels = c1, Conv2Channels = c2, Conv3Channels = c3, HiddenSize = 2 * half * heads, AttentionHeads = heads,
                LstmLayers = layers, FullyConnectedSize = fc, SharedSize = shared, HeadSize = head,
            };
            using var model = new DualTaskModel(config);
            Assert.Equal(model.parameters().Sum(p => p.numel()), (long)DualTaskResources.Parameters(config));
        }, ciCases: 20, seed: 16);
    }

    internal static void Set(JsonNode root, string path, JsonNode? value)
    {
        var parts = path.Split('.');
        var parent = root;
        foreach (var part in parts[..^1]) parent = parent[part]!;
        parent.AsObject()[parts[^1]] = value;
    }
}
