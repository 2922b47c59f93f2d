using Repro.Xunit;
using Xunit;

namespace Repro.DualTask.Tests.Replay;

// interop/pytorch/dualtask.py must produce exactly these keys for load_state_dict of
// initial.safetensors; if a TorchSharp upgrade renames one, this fails before the replay does.
[Collection(ReproCollection.Name)]
public sealed class StateDictKeysTests
{
    [CpuFact(DisplayName = "Replay: the small model's state_dict keys are the ones dualtask.py declares")]
    public void Small_model_keys_match_the_pytorch_mirror()
    {
        Determinism.Apply(new DeterminismOptions { Device = DeviceRequest.Cpu });
        using var model = new DualTaskModel(DualTaskModelConfig.Small);
        Assert.Equal(ExpectedKeys, model.state_dict().Keys);
    }

    // The kernel options must not rename, add or reorder anything: a fused model loads the same
    // initial.safetensors, and the export's state_dict keys stay the mirror's.
    [CpuTheory]
    [InlineData(AttentionKernel.Sdpa, BatchNormKernel.Module)]
    [InlineData(AttentionKernel.Module, BatchNormKernel.Cudnn)]
    [InlineData(AttentionKernel.Sdpa, BatchNormKernel.Cudnn)]
    public void Every_kernel_option_keeps_the_keys(AttentionKernel attention, BatchNormKernel batchNorm)
    {
        Determinism.Apply(new DeterminismOptions { Device = DeviceRequest.Cpu });
        using var model = new DualTaskModel(DualTaskModelConfig.Small with { Attention = attention, BatchNorm = batchNorm });
        Assert.Equal(ExpectedKeys, model.state_dict().Keys);
    }

    // TorchSharp lists parameters first, then buffers (PyTorch interleaves them per module);
    // load_state_dict matches by name, so only the names must agree.
    static readonly string[] ExpectedKeys =
    [
        "conv1.conv.weight",
        "conv1.conv.bias",
        "conv1.bn.weight",
        "conv1.bn.bias",
        "conv2.conv.weight",
        "conv2.conv.bias",
        "conv2.bn.weight",
        "conv2.bn.bias",
        "conv3.conv.weight",
        "conv3.conv.bias",
        "conv3.bn.weight",
        "conv3.bn.bias",
        "lstm.weight_ih_l0",
        "lstm.weight_hh_l0",
        "lstm.bias_ih_l0",
        "lstm.bias_hh_l0",
        "lstm.weight_ih_l0_reverse",
        "lstm.weight_hh_l0_reverse",
        "lstm.bias_ih_l0_reverse",
        "lstm.bias_hh_l0_reverse",
        "attention.in_proj_weight",
        "attention.in_proj_bias",
        "attention.out_proj.weight",
        "attention.out_proj.bias",
        "attention_norm.weight",
        "attention_norm.bias",
        "shared.fc1.weight",
        "shared.fc1.bias",
        "shared.fc2.weight",
        "shared.fc2.bias",
        "rul_head.fc1.weight",
        "rul_head.fc1.bias",
        "rul_head.fc2.weight",
        "rul_head.fc2.bias",
        "health_head.fc1.weight",
        "health_head.fc1.bias",
        "health_head.fc2.weight",
        "health_head.fc2.bias",
        "conv1.bn.running_mean",
        "conv1.bn.running_var",
        "conv1.bn.num_batches_tracked",
        "conv2.bn.running_mean",
        "conv2.bn.running_var",
        "conv2.bn.num_batches_tracked",
        "conv3.bn.running_mean",
        "conv3.bn.running_var",
        "conv3.bn.num_batches_tracked",
    ];
}
