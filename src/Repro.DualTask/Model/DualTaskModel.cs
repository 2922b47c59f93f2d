using Repro.Advanced;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Repro.DualTask;

/// <summary>
/// The chapter's dual-task model: Conv1d trunk -> BiLSTM -> self-attention (residual + LayerNorm)
/// -> mean pool over time -> shared FC -> RUL head (ReLU output, or linear: <see cref="DualTaskModelConfig.RulHead"/>) and health head (logits).
/// Input [batch, time, channels]; output (rul [batch], health logits [batch, classes]).
/// Submodule names match interop/pytorch/dualtask.py so weights move across by name.
/// <see cref="DualTaskModelConfig.Attention"/> and <see cref="DualTaskModelConfig.BatchNorm"/> choose the
/// kernels; the parameters, buffers and their names are the same for every choice.
/// </summary>
public sealed class DualTaskModel : Module<Tensor, (Tensor Rul, Tensor Health)>
{
    private readonly Sequential conv1;
    private readonly Sequential conv2;
    private readonly Sequential conv3;
    private readonly LSTM lstm;
    private readonly MultiheadAttention attention;
    private readonly LayerNorm attention_norm;
    private readonly Dropout attention_dropout;
    private readonly Sequential shared;
    private readonly Sequential rul_head;
    private readonly Sequential health_head;

    public DualTaskModel(DualTaskModelConfig config) : base(nameof(DualTaskModel))
    {
        config.Validate();
        Config = config;
        conv1 = ConvBlock(config.InputSize, config.Conv1Channels, config.Dropout, config.BatchNorm);
        conv2 = ConvBlock(config.Conv1Channels, config.Conv2Channels, config.Dropout, config.BatchNorm);
        conv3 = ConvBlock(config.Conv2Channels, config.Conv3Channels, config.Dropout, config.BatchNorm);
        lstm = LSTM(config.Conv3Channels, config.HiddenSize / 2, config.LstmLayers, batchFirst: true,
            dropout: config.LstmLayers > 1 ? config.Dropout : 0, bidirectional: true);
        attention = MultiheadAttention(config.HiddenSize, config.AttentionHeads, config.AttentionDropout);
        attention_norm = LayerNorm(config.HiddenSize);
        attention_dropout = Dropout(config.AttentionDropout);
        shared = Sequential(
            ("fc1", Linear(config.HiddenSize, config.FullyConnectedSize)), ("relu1", ReLU()), ("drop1", Dropout(config.Dropout)),
            ("fc2", Linear(config.FullyConnectedSize, config.SharedSize)), ("relu2", ReLU()));
        // The chapter's head ends in a ReLU, which outputs exactly 0 for every input when fc2 starts
        // negative on all of them: no gradient reaches the head then (docs/design.md). The linear head
        // has no output ReLU; DualTaskCheck clamps its prediction at evaluation.
        rul_head = config.RulHead == RulHeadKind.Linear
            ? Sequential(("fc1", Linear(config.SharedSize, config.HeadSize)), ("relu1", ReLU()), ("fc2", Linear(config.HeadSize, 1)))
            : Sequential(
                ("fc1", Linear(config.SharedSize, config.HeadSize)), ("relu1", ReLU()),
                ("fc2", Linear(config.HeadSize, 1)), ("relu2", ReLU()));
        health_head = Sequential(
            ("fc1", Linear(config.SharedSize, config.HeadSize)), ("relu1", ReLU()), ("drop1", Dropout(config.Dropout)),
            ("fc2", Linear(config.HeadSize, config.HealthClasses)));
        RegisterComponents();
    }

    public DualTaskModelConfig Config { get; }

    /// <summary>
    /// Set by the doctor to observe the stages that are not a submodule's output (the doctor hooks
    /// every submodule itself); null (the default) costs nothing measurable.
    /// </summary>
    public IForwardTrace? Trace { get; set; }

    /// <summary>
    /// The stages this model records through <see cref="IForwardTrace.Record"/>, in forward order: the
    /// batch, the LSTM's output sequence and the time-pooled features.
    /// </summary>
    public static IReadOnlyList<string> Stages { get; } = ["input", "sequence", "pool"];

    public override (Tensor Rul, Tensor Health) forward(Tensor input)
    {
        Observe("input", input);
        var x = input.transpose(1, 2);
        x = conv1.call(x);
        x = conv2.call(x);
        x = conv3.call(x);
        var (sequence, _, _) = lstm.call(x.transpose(1, 2));
        Observe("sequence", sequence);
        // TorchSharp's attention is sequence-first: [time, batch, features].
        var timeFirst = sequence.transpose(0, 1);
        var attended = Config.Attention == AttentionKernel.Sdpa
            ? ScaledDotProductAttention(timeFirst)
            : attention.call(timeFirst, timeFirst, timeFirst, null, false, null).Item1;
        var normed = attention_norm.call(timeFirst + attention_dropout.call(attended));
        var pooled = normed.mean([0]);
        Observe("pool", pooled);
        var features = shared.call(pooled);
        var rul = rul_head.call(features).squeeze(-1);
        if (Config.RulOutputScale is { } scale) rul = rul * scale;
        var health = health_head.call(features);
        return (rul, health);
    }

    // The module's in- and out-projections around scaled_dot_product_attention, shaped as Python's
    // F.multi_head_attention_forward shapes them for it: [time, batch, embed] -> [batch, heads, time, headDim]
    // and back. scale stays libtorch's default (1/sqrt(headDim), applied inside the kernel), no mask, not
    // causal, the attention dropout only while training. interop/pytorch/dualtask.py mirrors it op for op.
    Tensor ScaledDotProductAttention(Tensor timeFirst)
    {
        long time = timeFirst.shape[0], batch = timeFirst.shape[1], embed = timeFirst.shape[2];
        long heads = Config.AttentionHeads, headDim = embed / heads;
        var qkv = functional.linear(timeFirst, AttentionParameter("in_proj_weight"), AttentionParameter("in_proj_bias")).chunk(3, -1);
        Tensor Split(Tensor t) => t.contiguous().view(time, batch * heads, headDim).transpose(0, 1).view(batch, heads, time, headDim);
        var output = functional.scaled_dot_product_attention(Split(qkv[0]), Split(qkv[1]), Split(qkv[2]),
            attn_mask: null, p: training ? Config.AttentionDropout : 0.0, is_casual: false);
        var merged = output.permute(2, 0, 1, 3).contiguous().view(time * batch, embed);
        return functional.linear(merged, AttentionParameter("out_proj.weight"), AttentionParameter("out_proj.bias")).view(time, batch, embed);
    }

    // The attention module's own parameter objects (looked up, not kept: .to(device) may replace them).
    Parameter AttentionParameter(string name) =>
        attention.get_parameter(name) ?? throw new InvalidOperationException($"TorchSharp's MultiheadAttention has no parameter '{name}'.");

    // Compiled out entirely (call sites included) in builds without REPRO_TRACE_HOOKS, which the
    // tracing-cost benchmark compares against: bench/tracing-cost.sh.
    [System.Diagnostics.Conditional("REPRO_TRACE_HOOKS")]
    void Observe(string stage, Tensor output) => Trace?.Record(stage, output);

    /// <summary>Whether this build has the doctor's tracing hooks compiled in.</summary>
    public static bool HooksCompiled =>
#if REPRO_TRACE_HOOKS
        true;
#else
        false;
#endif

    static Sequential ConvBlock(int input, int output, double dropout, BatchNormKernel batchNorm) => Sequential(
        ("conv", Conv1d(input, output, 3, padding: 1)),
        ("bn", batchNorm == BatchNormKernel.Cudnn ? new CudnnBatchNorm1d(output) : (Module<Tensor, Tensor>)BatchNorm1d(output)),
        ("relu", ReLU()),
        ("drop", Dropout(dropout)));

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            conv1.Dispose(); conv2.Dispose(); conv3.Dispose(); lstm.Dispose(); attention.Dispose();
            attention_norm.Dispose(); attention_dropout.Dispose(); shared.Dispose(); rul_head.Dispose(); health_head.Dispose();
            ClearModules();
        }
        base.Dispose(disposing);
    }
}
