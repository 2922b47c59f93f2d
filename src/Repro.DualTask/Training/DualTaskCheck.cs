using Repro.Advanced;
using TorchSharp;
using static TorchSharp.torch;

namespace Repro.DualTask;

/// <summary>
/// The chapter's check on Repro's public API: C-MAPSS-like data, the DualTask model, AMNL loss,
/// AdamW, EMA of the weights for evaluation, early stopping on validation RMSE, and a final test
/// evaluation. One instance trains once.
/// </summary>
public sealed partial class DualTaskCheck : TrainingCheck, IChildProcessCheck
{
    PreparedData? _data;
    DualTaskModel? _model;
    ExponentialMovingAverage? _ema;
    MixedPrecisionShadow? _mixed;
    CapturedStep? _step;
    readonly BestWeights _best = new();

    /// <summary>A check of <paramref name="config"/> (validated here, before anything trains).</summary>
    public DualTaskCheck(DualTaskConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        Config = config;
    }

    /// <summary>The small configuration (a few seconds on two CPU cores).</summary>
    public DualTaskCheck() : this(DualTaskConfig.Small) { }

    /// <summary>The training configuration.</summary>
    public DualTaskConfig Config { get; }

    /// <summary>The prepared data (windows, splits), once training has started.</summary>
    public PreparedData Data => _data ?? throw new InvalidOperationException("The data is prepared when training starts.");

    /// <summary>How the training step ran (eagerly, or replayed from CUDA graphs), once training has started.</summary>
    internal CapturedStep? CapturedStep => _step;

    /// <summary>The final evaluation on the test units, once training has finished.</summary>
    public EvaluationRecord? TestEvaluation { get; private set; }

    /// <inheritdoc />
    public override string Name => Config.Name;

    /// <inheritdoc />
    public override long Seed => Config.Seed;

    /// <inheritdoc />
    public override int Epochs => Config.Epochs;

    /// <inheritdoc />
    public override DeterminismOptions Determinism => Config.Determinism;

    /// <inheritdoc />
    public override object Settings => Config;

    /// <inheritdoc />
    public IReadOnlyList<string> ChildProcessArguments =>
        // The CLI's --device overrides the file's device, so pass the config's own request: the child
        // must train exactly this config, whose hash includes the device request.
        ["--config", IChildProcessCheck.SettingsFilePlaceholder, "--device", Config.Determinism.Device.ToString().ToLowerInvariant()];

    /// <inheritdoc />
    protected override string PrepareData(TrainingContext context)
    {
        if (Config.MixedPrecision && !context.Runtime.IsCuda)
            throw new ReproException("DualTaskConfig.MixedPrecision needs CUDA (bf16 compute); this run is on CPU. Turn it off or run on a GPU machine.");
        if (Config.Model.BatchNorm == BatchNormKernel.Cudnn && !context.Runtime.IsCuda)
            throw new ReproException("DualTaskConfig.Model.BatchNorm=cudnn needs CUDA: cuDNN does not exist on the CPU, where ATen would run the module's kernel and train what \"batchNorm\": " +
                "\"module\" trains under a name that promises cuDNN. Use \"batchNorm\": \"module\" on the CPU, or run on a GPU machine.");
        // Each stage's digest goes into the baseline's trace, so a mismatch names the first stage that moved.
        var dataset = Config.Data.Load(Config.Seed);
        context.RecordData("units", dataset.Train.Select(run => run.Values.ToArray()));
        _data = CmapssPreprocessing.PrepareRecorded(dataset, Config.Data.Preprocessing, Config.Seed, statistics => context.RecordData("statistics", statistics));
        context.RecordData("train-windows", _data.Train.Inputs);
        context.RecordData("validation-windows", _data.Validation.Inputs);
        context.RecordData("test-windows", _data.Test.Inputs);
        if (_data.Train.Count == 0)
            throw new ReproException("The training set has no windows: the units are shorter than the window length. Use longer units or a shorter window.");
        return _data.ContentHash();
    }

    /// <inheritdoc />
    protected override nn.Module CreateModel(TrainingContext context)
    {
        _model = new DualTaskModel(Config.Model);
        return _model;
    }

    /// <inheritdoc />
    protected override optim.Optimizer CreateOptimizer(nn.Module model, TrainingContext context)
    {
        var parameters = model.named_parameters().Select(p => (p.name, p.parameter)).ToArray();
        var optimizer = new ReproAdamW(parameters, Config.LearningRate, Config.WeightDecay, kernel: Config.Optimizer);
        // Floating-point buffers only: num_batches_tracked counts steps and is unused in evaluation with a set momentum.
        var buffers = Config.EmaBuffers == EmaBufferRule.Averaged
            ? _model!.named_buffers().Select(b => b.buffer).Where(b => b.is_floating_point()).ToArray()
            : null;
        _ema = Config.EmaDecay is not { } decay ? null
            : optimizer.Flat is { } flat ? new ExponentialMovingAverage(flat, decay, Config.EmaWarmup, buffers)
            : new ExponentialMovingAverage(parameters.Select(p => p.parameter), decay, Config.EmaWarmup, buffers);
        _mixed = Config.MixedPrecision ? new MixedPrecisionShadow(_model!) : null;
        _step = context.CaptureStep(batch => ForwardBackward(batch, context.ForwardTrace),
            Config.MixedPrecision ? "mixed precision copies the fp32 master weights into the bf16 model before every step, on the host's schedule" : null);
        return optimizer;
    }

    /// <inheritdoc />
    protected override FinalResult Finish(TrainingContext context)
    {
        // Early stopping restores the best (EMA-evaluated) weights; without it the final EMA weights are the result.
        if (Config.EarlyStoppingPatience is not null) _best.Restore(_model!);
        else _ema?.Apply();
        var test = Evaluate(context, _data!.Test);
        TestEvaluation = test;
        return new FinalResult
        {
            Metrics = new Metrics { ["testRmse"] = test.Rmse, ["testNasaScore"] = test.NasaScore, ["testAccuracy"] = test.Accuracy },
            BestEpoch = Config.EarlyStoppingPatience is null ? null : _best.Epoch,
            // The naive baseline beside the model's numbers: a run that does not beat it did not learn.
            Evaluation = new Dictionary<string, object> { ["test"] = test, ["naive"] = NaiveBaseline.Of(_data) },
        };
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (!disposing) return;
        _step?.Dispose();
        _ema?.Dispose();
        _mixed?.Dispose();
        _best.Dispose();
    }
}
