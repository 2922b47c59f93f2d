"""The DualTask model of src/Repro/Model/DualTaskModel.cs, in PyTorch, op for op.

Parameter and buffer names equal TorchSharp's state_dict keys (tests/Repro.Tests/Replay/
StateDictKeysTests.cs pins them), so ``load_state_dict`` of an export's initial.safetensors works.

Bit-for-bit agreement needs the same ATen ops in the same order, not just the same maths, so three
layers do not use the stock PyTorch modules:

* ``Linear``: TorchSharp goes through libtorch's C++ ``torch::nn::functional::linear``, which is
  ``addmm(bias, x, w.t())`` for 2-D input but ``x.matmul(w.t())`` followed by an in-place ``+= bias``
  for 3-D input. Python's ``F.linear`` uses ``addmm`` on a flattened view for contiguous 3-D input,
  which rounds differently. (Checked by disassembling libLibTorchSharp.so of TorchSharp 0.107.)
* ``SequenceFirstAttention``: TorchSharp wraps libtorch's C++ ``torch::nn::MultiheadAttention``,
  whose forward is the classic bmm / softmax / dropout / bmm sequence with ``q * head_dim**-0.5``
  applied before the product. Python's ``nn.MultiheadAttention`` with ``need_weights=False`` calls
  ``scaled_dot_product_attention`` instead, which scales and drops out differently.
* ``BatchNorm1d``: TorchSharp calls ``torch::batch_norm(..., cudnn_enabled=false)``; Python passes
  ``torch.backends.cudnn.enabled`` (true), which picks cuDNN's kernel on CUDA. Same on CPU.

The model config's kernel options (``DualTaskModelConfig.Attention`` / ``.BatchNorm``; absent from the
JSON at their defaults) switch two of them to the fused kernels stock PyTorch uses, exactly as the C#
model calls them:

* ``"attention": "sdpa"``: the same in/out projections (``torchsharp_linear``) around
  ``F.scaled_dot_product_attention(q, k, v, attn_mask=None, dropout_p=p if training else 0.0,
  is_causal=False)`` with the default ``scale`` (None: 1/sqrt(head_dim) inside the kernel) and
  ``enable_gqa=False`` - the arguments TorchSharp's ``THSNN_scaled_dot_product_attention`` passes.
* ``"batchNorm": "cudnn"``: ``torch.batch_norm(..., cudnn_enabled=True)`` (Repro's ``ATenOps.BatchNorm``
  calls ``at::batch_norm`` with it); CUDA only.

Dropout order (each draws from torch's default generator): conv1, conv2, conv3, LSTM between
layers (only with more than one layer), attention weights, attention residual, shared.drop1,
health_head.drop1.
"""

import math
from collections import OrderedDict

import torch
from torch import nn


def torchsharp_linear(input, weight, bias):
    """libtorch's C++ ``torch::nn::functional::linear``, which TorchSharp and C++ MHA call."""
    if input.dim() == 2 and bias is not None:
        return torch.addmm(bias, input, weight.t())
    output = input.matmul(weight.t())
    if bias is not None:
        output += bias
    return output


class Linear(nn.Linear):
    """nn.Linear computed as TorchSharp computes it (see torchsharp_linear)."""

    def forward(self, input):
        return torchsharp_linear(input, self.weight, self.bias)


class BatchNorm1d(nn.BatchNorm1d):
    """TorchSharp's BatchNorm: running stats as PyTorch, but cudnn_enabled=False - or True for
    ``"batchNorm": "cudnn"`` (Repro's CudnnBatchNorm1d, the same forward with that flag)."""

    def __init__(self, num_features, cudnn_enabled=False):
        super().__init__(num_features)
        self.cudnn_enabled = cudnn_enabled

    def forward(self, input):
        if self.cudnn_enabled and input.device.type != "cuda":
            raise ValueError('"batchNorm": "cudnn" needs CUDA input (cuDNN does not exist on the CPU); Repro refuses it too')
        self._check_input_dim(input)
        factor = self.momentum
        if self.training and self.track_running_stats:
            self.num_batches_tracked.add_(1)
            if self.momentum == 0:
                factor = 1.0 / float(self.num_batches_tracked)
        bn_training = True if self.training else (self.running_mean is None and self.running_var is None)
        use_stats = not self.training or self.track_running_stats
        return torch.batch_norm(
            input, self.weight, self.bias,
            self.running_mean if use_stats else None, self.running_var if use_stats else None,
            bn_training, factor, self.eps, self.cudnn_enabled)


class SequenceFirstAttention(nn.Module):
    """Self-attention as libtorch's C++ ``F::detail::multi_head_attention_forward`` computes it.

    Input and output are [time, batch, embed] (sequence-first, like TorchSharp's module). Parameters
    are named like nn.MultiheadAttention's: in_proj_weight, in_proj_bias, out_proj.weight/bias.
    """

    def __init__(self, embed_dim, num_heads, dropout, kernel="module"):
        super().__init__()
        if embed_dim % num_heads != 0:
            raise ValueError(f"embed_dim {embed_dim} must be divisible by num_heads {num_heads}")
        self.kernel = kernel
        self.embed_dim = embed_dim
        self.num_heads = num_heads
        self.dropout = dropout
        self.in_proj_weight = nn.Parameter(torch.empty(3 * embed_dim, embed_dim))
        self.in_proj_bias = nn.Parameter(torch.zeros(3 * embed_dim))
        self.out_proj = Linear(embed_dim, embed_dim)
        nn.init.xavier_uniform_(self.in_proj_weight)
        nn.init.zeros_(self.out_proj.bias)

    def forward(self, x):
        if self.kernel == "sdpa":
            return self.forward_sdpa(x)
        tgt_len, bsz, embed_dim = x.shape
        heads = self.num_heads
        head_dim = embed_dim // heads
        # C++: const auto scaling = 1 / std::sqrt(head_dim); a double, applied to q alone.
        scaling = 1 / math.sqrt(head_dim)
        q, k, v = torchsharp_linear(x, self.in_proj_weight, self.in_proj_bias).chunk(3, dim=-1)
        q = q * scaling
        q = q.contiguous().view(tgt_len, bsz * heads, head_dim).transpose(0, 1)
        k = k.contiguous().view(-1, bsz * heads, head_dim).transpose(0, 1)
        v = v.contiguous().view(-1, bsz * heads, head_dim).transpose(0, 1)
        weights = torch.bmm(q, k.transpose(1, 2))
        weights = weights.softmax(-1)
        weights = torch.nn.functional.dropout(weights, p=self.dropout, training=self.training)
        output = torch.bmm(weights, v)
        output = output.transpose(0, 1).contiguous().view(tgt_len, bsz, embed_dim)
        return torchsharp_linear(output, self.out_proj.weight, self.out_proj.bias)

    def forward_sdpa(self, x):
        """DualTaskModel.ScaledDotProductAttention (C#), op for op."""
        time, batch, embed = x.shape
        heads = self.num_heads
        head_dim = embed // heads
        q, k, v = torchsharp_linear(x, self.in_proj_weight, self.in_proj_bias).chunk(3, -1)

        def split(t):
            return t.contiguous().view(time, batch * heads, head_dim).transpose(0, 1).view(batch, heads, time, head_dim)

        output = torch.nn.functional.scaled_dot_product_attention(
            split(q), split(k), split(v), attn_mask=None,
            dropout_p=self.dropout if self.training else 0.0, is_causal=False)
        merged = output.permute(2, 0, 1, 3).contiguous().view(time * batch, embed)
        return torchsharp_linear(merged, self.out_proj.weight, self.out_proj.bias).view(time, batch, embed)


ATTENTION_KERNELS = ("module", "sdpa")
BATCH_NORM_KERNELS = ("module", "cudnn")


def kernel_options(config):
    """The model config's kernel choices, defaults filled in, as DualTaskModelConfig validates them."""
    attention = config.get("attention", "module")
    batch_norm = config.get("batchNorm", "module")
    if attention not in ATTENTION_KERNELS:
        raise ValueError(f"model.attention={attention!r} is not one of: {', '.join(ATTENTION_KERNELS)}")
    if batch_norm not in BATCH_NORM_KERNELS:
        raise ValueError(f"model.batchNorm={batch_norm!r} is not one of: {', '.join(BATCH_NORM_KERNELS)}")
    return attention, batch_norm


def _conv_block(inputs, outputs, dropout, batch_norm="module"):
    return nn.Sequential(OrderedDict([
        ("conv", nn.Conv1d(inputs, outputs, 3, padding=1)),
        ("bn", BatchNorm1d(outputs, cudnn_enabled=batch_norm == "cudnn")),
        ("relu", nn.ReLU()),
        ("drop", nn.Dropout(dropout)),
    ]))


class DualTaskModel(nn.Module):
    """Conv1d x3 -> BiLSTM -> self-attention (residual + LayerNorm) -> mean over time -> shared FC
    -> RUL head (ReLU output, or linear with an optional output scale; squeezed) and health head
    (logits). Input [batch, time, channels].

    ``config`` is the "model" object of an export's config.json (camelCase keys of DualTaskConfig),
    including the optional kernel choices "attention" and "batchNorm" (see the module docstring).
    """

    def __init__(self, config):
        super().__init__()
        c = config
        hidden = c["hiddenSize"]
        dropout = c["dropout"]
        attention, batch_norm = kernel_options(c)
        self.conv1 = _conv_block(c["inputSize"], c["conv1Channels"], dropout, batch_norm)
        self.conv2 = _conv_block(c["conv1Channels"], c["conv2Channels"], dropout, batch_norm)
        self.conv3 = _conv_block(c["conv2Channels"], c["conv3Channels"], dropout, batch_norm)
        layers = c["lstmLayers"]
        self.lstm = nn.LSTM(c["conv3Channels"], hidden // 2, layers, batch_first=True,
                            dropout=dropout if layers > 1 else 0.0, bidirectional=True)
        self.attention = SequenceFirstAttention(hidden, c["attentionHeads"], c["attentionDropout"], attention)
        self.attention_norm = nn.LayerNorm(hidden)
        self.attention_dropout = nn.Dropout(c["attentionDropout"])
        self.shared = nn.Sequential(OrderedDict([
            ("fc1", Linear(hidden, c["fullyConnectedSize"])), ("relu1", nn.ReLU()), ("drop1", nn.Dropout(dropout)),
            ("fc2", Linear(c["fullyConnectedSize"], c["sharedSize"])), ("relu2", nn.ReLU()),
        ]))
        # "rulHead": "relu" (the chapter's, the default when absent) or "linear" (no output ReLU; the
        # trainer clamps to [0, rulCap] at evaluation); "rulOutputScale" multiplies a linear head's output.
        head = c.get("rulHead", "relu")
        if head not in ("relu", "linear"):
            raise ValueError(f"rulHead {head!r} is neither 'relu' nor 'linear'")
        rul_layers = [("fc1", Linear(c["sharedSize"], c["headSize"])), ("relu1", nn.ReLU()),
                      ("fc2", Linear(c["headSize"], 1))]
        if head == "relu":
            rul_layers.append(("relu2", nn.ReLU()))
        self.rul_head = nn.Sequential(OrderedDict(rul_layers))
        scale = c.get("rulOutputScale")
        # A float, as C#'s double: JSON writes 125.0 as 125.
        self.rul_output_scale = None if scale is None else float(scale)
        self.rul_head_kind = head
        self.health_head = nn.Sequential(OrderedDict([
            ("fc1", Linear(c["sharedSize"], c["headSize"])), ("relu1", nn.ReLU()), ("drop1", nn.Dropout(dropout)),
            ("fc2", Linear(c["headSize"], c["healthClasses"])),
        ]))

    def forward(self, input):
        x = input.transpose(1, 2)
        x = self.conv1(x)
        x = self.conv2(x)
        x = self.conv3(x)
        sequence, _ = self.lstm(x.transpose(1, 2))
        time_first = sequence.transpose(0, 1)
        attended = self.attention(time_first)
        normed = self.attention_norm(time_first + self.attention_dropout(attended))
        pooled = normed.mean([0])
        features = self.shared(pooled)
        rul = self.rul_head(features).squeeze(-1)
        if self.rul_output_scale is not None:
            rul = rul * self.rul_output_scale
        health = self.health_head(features)
        return rul, health
