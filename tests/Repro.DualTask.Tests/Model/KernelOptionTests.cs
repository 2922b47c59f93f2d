using System.Text.Json;
using Repro.Cli;
using Repro.Xunit;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Repro.DualTask.Tests.Model;

// The model's kernel options (attention: module | sdpa, batchNorm: module | cudnn) on the CPU: the default
// leaves every committed config hash where it was, sdpa computes the module's attention with the same
// parameters (to float tolerance, forward and backward) and trains twice alike, and cudnn is refused here.
[Collection(ReproCollection.Name)]
public sealed class KernelOptionTests
{
    static DualTaskModelConfig Small(AttentionKernel attention, double dropout = 0) => DualTaskModelConfig.Small with
    {
        Attention = attention, Dropout = dropout, AttentionDropout = dropout,
    };

    [Fact]
    public void The_defaults_are_left_out_of_the_config_json_and_the_fused_choices_are_written()
    {
        var chapter = JsonSerializer.SerializeToElement(DualTaskConfig.Chapter, ReproJson.Options).GetProperty("model");
        Assert.False(chapter.TryGetProperty("attention", out _));
        Assert.False(chapter.TryGetProperty("batchNorm", out _));
        Assert.False(JsonSerializer.SerializeToElement(DualTaskConfig.Chapter, ReproJson.Options).TryGetProperty("optimizer", out _));

        var fused = JsonSerializer.SerializeToElement(DualTaskConfig.ChapterFused, ReproJson.Options).GetProperty("model");
        Assert.Equal("sdpa", fused.GetProperty("attention").GetString());
        Assert.Equal("cudnn", fused.GetProperty("batchNorm").GetString());
        Assert.Equal("fused", JsonSerializer.SerializeToElement(DualTaskConfig.ChapterFused, ReproJson.Options).GetProperty("optimizer").GetString());
        Assert.Equal(DualTaskConfig.ChapterFused, ReproJson.Deserialize<DualTaskConfig>(ReproJson.Serialize(DualTaskConfig.ChapterFused)));
        Assert.NotEqual(DualTaskRuns.ConfigHash(DualTaskConfig.Chapter), DualTaskRuns.ConfigHash(DualTaskConfig.ChapterFused));
    }

    [Fact]
    public void Every_committed_baseline_of_a_built_in_config_keeps_its_config_hash()
    {
        var store = new BaselineStore(Path.Combine(RepoPaths.Root, "snapshots"));
        var checkedFiles = 0;
        foreach (var path in Directory.EnumerateFiles(store.Root, "*" + BaselineStore.VerifiedSuffix, SearchOption.AllDirectories))
        {
            var key = Path.GetRelativePath(store.Root, Path.GetDirectoryName(path)!).Replace('\\', '/');
            var test = Path.GetFileName(path)[..^BaselineStore.VerifiedSuffix.Length];
            var file = store.ReadVerified(key, test)!;
            var current = BuiltInChecks.CurrentConfigHash(file);
            Assert.True(current is not null, $"{path} is not a built-in config");
            Assert.True(current == file.Fingerprint.ConfigHash, $"{path}: recorded config {file.Fingerprint.ConfigHash}, this checkout's {current}");
            checkedFiles++;
        }
        Assert.True(checkedFiles >= 4, $"only {checkedFiles} committed baselines found under {store.Root}");
    }

    [Fact]
    public void Chapter_fused_is_a_named_config_with_its_own_name()
    {
        var config = DualTaskConfigs.Resolve("chapter-fused");
        Assert.Equal("dualtask-chapter-fused", config.Name);
        Assert.Equal(AttentionKernel.Sdpa, config.Model.Attention);
        Assert.Equal(BatchNormKernel.Cudnn, config.Model.BatchNorm);
        Assert.Equal(AdamWKernel.Fused, config.Optimizer);
        Assert.Equal(DualTaskConfig.Chapter, config with { Name = DualTaskConfig.Chapter.Name, Optimizer = default, Model = config.Model with { Attention = default, BatchNorm = default } });
    }

    [Theory]
    [InlineData(7, 0, "DualTaskModelConfig.Attention=7")]
    [InlineData(0, -1, "DualTaskModelConfig.BatchNorm=-1")]
    public void An_undefined_kernel_set_from_code_is_refused_naming_the_choices(int attention, int batchNorm, string named)
    {
        var config = DualTaskConfig.Small with { Model = DualTaskModelConfig.Small with { Attention = (AttentionKernel)attention, BatchNorm = (BatchNormKernel)batchNorm } };
        var ex = Assert.Throws<ReproException>(() => new DualTaskCheck(config));
        Assert.Contains(named, ex.Message);
        Assert.Contains("module", ex.Message);
    }

    [CpuFact]
    public void Sdpa_attention_has_the_module_parameters_and_computes_the_same_function()
    {
        using var guard = TrainingGuard.Enter("sdpa vs module attention");
        using var scope = NewDisposeScope();
        using var module = Build(AttentionKernel.Module);
        using var sdpa = Build(AttentionKernel.Sdpa);
        var moduleState = module.state_dict();
        var sdpaState = sdpa.state_dict();
        Assert.Equal(moduleState.Keys, sdpaState.Keys);
        foreach (var (name, value) in moduleState)
            Assert.True(value.eq(sdpaState[name]).all().item<bool>(), $"{name} differs between the two models built from one seed");

        var input = randn([8, 30, 15], generator: new Generator(5));
        var (rulModule, healthModule) = module.call(input);
        var (rulSdpa, healthSdpa) = sdpa.call(input);
        Assert.True(rulModule.allclose(rulSdpa, rtol: 1e-4, atol: 1e-5), $"RUL outputs differ by {(rulModule - rulSdpa).abs().max().item<float>()}");
        Assert.True(healthModule.allclose(healthSdpa, rtol: 1e-4, atol: 1e-5), $"health outputs differ by {(healthModule - healthSdpa).abs().max().item<float>()}");

        (rulModule.sum() + healthModule.sum()).backward();
        (rulSdpa.sum() + healthSdpa.sum()).backward();
        var sdpaParameters = sdpa.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (name, parameter) in module.named_parameters())
        {
            var other = sdpaParameters[name].grad;
            Assert.True(parameter.grad is not null && other is not null, $"{name} has no gradient");
            Assert.True(parameter.grad!.allclose(other!, rtol: 1e-3, atol: 1e-5), $"{name}'s gradient differs by {(parameter.grad - other!).abs().max().item<float>()}");
        }
        // The attention projections must be what sdpa used: their gradients are not zero.
        Assert.True(sdpaParameters["attention.in_proj_weight"].grad!.abs().sum().item<float>() > 0);
    }

    // Dropout off, so module and sdpa see the same masks (none); same seed, so the same initial weights.
    static DualTaskModel Build(AttentionKernel attention)
    {
        Determinism.Reseed(11);
        var model = new DualTaskModel(Small(attention));
        model.train();
        return model;
    }

    [CpuFact]
    public void A_small_run_with_sdpa_attention_trains_twice_alike_and_apart_from_the_module_run()
    {
        var config = TinyInputs.Config with
        {
            Model = Small(AttentionKernel.Sdpa, dropout: 0.3),
            Determinism = DualTaskConfig.Small.Determinism with { Device = DeviceRequest.Cpu },
        };
        var first = Train(config);
        var second = Train(config);
        Assert.Equal(first.ModelHash, second.ModelHash);
        Assert.Equal(Metrics(first), Metrics(second));
        // Same seed, same data: only the attention kernel differs, so the weights must differ.
        var module = Train(config with { Model = config.Model with { Attention = AttentionKernel.Module } });
        Assert.NotEqual(first.ModelHash, module.ModelHash);
    }

    static TrainingFingerprint Train(DualTaskConfig config)
    {
        using var result = TrainingHarness.Run(new DualTaskCheck(config));
        return result.Fingerprint;
    }

    static string Metrics(TrainingFingerprint fingerprint) => string.Join(";", fingerprint.Epochs.SelectMany(e => e.Metrics.Select(m => $"{e.Epoch}:{m.Key}={m.Value:R}")));

    [CpuFact]
    public void A_small_run_with_the_fused_optimizer_trains_twice_alike()
    {
        var config = TinyInputs.Config with
        {
            Optimizer = AdamWKernel.Fused,
            Determinism = DualTaskConfig.Small.Determinism with { Device = DeviceRequest.Cpu },
        };
        var first = Train(config);
        var second = Train(config);
        Assert.Equal(first.ModelHash, second.ModelHash);
        Assert.Equal(first.OptimizerStateHash, second.OptimizerStateHash);
        Assert.Equal(Metrics(first), Metrics(second));
        // Not compared with the reference kernel: under the portable CPU profile both take a correctly rounded
        // square root, and on an AMD EPYC they gave the same bits (docs/portable-cpu.md); whether every CPU
        // does is not established, so neither equality nor difference is a property of the kernels.
    }

    [CpuFact]
    public void Cudnn_batch_norm_is_refused_on_the_cpu_before_training()
    {
        var config = TinyInputs.Config with
        {
            Model = DualTaskModelConfig.Small with { BatchNorm = BatchNormKernel.Cudnn },
            Determinism = DualTaskConfig.Small.Determinism with { Device = DeviceRequest.Cpu },
        };
        var ex = Assert.Throws<ReproException>(() => TrainingHarness.Run(new DualTaskCheck(config)).Dispose());
        Assert.Contains("BatchNorm=cudnn needs CUDA", ex.Message);

        using var guard = TrainingGuard.Enter("cudnn batch norm on the CPU");
        using var model = new DualTaskModel(config.Model);
        var forward = Assert.Throws<ReproException>(() => model.call(zeros([4, 30, 15])));
        Assert.Contains("needs CUDA input", forward.Message);
    }
}
