#!/usr/bin/env python3
"""Trains a Repro export in PyTorch exactly as Repro's TorchSharp trainer does, and compares.

    dotnet run --project src/Repro.Cli -- export --config small --device cpu --out /tmp/export
    python3 interop/pytorch/replay.py /tmp/export

Reads config.json, data/initial/order.safetensors from the export, trains with the same
determinism switches, initial weights, training seed, batch order, AMNL loss, AdamW
(torch.optim.AdamW, foreach=False), EMA, evaluation and early stopping as
src/Repro/Training/TrainingSession*.cs, prints the metrics as JSON (the shape of torchsharp.json),
writes them to <export>/pytorch.json, and compares them with torchsharp.json when it is there.

Needs only torch and the standard library. Exit codes: 0 identical (or no comparison), 1 differs,
4 usage or environment problem.
"""

import argparse
import ctypes
import hashlib
import importlib
import json
import math
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import compare  # noqa: E402  (standard library only)
import safetensors_io  # noqa: E402  (imports torch lazily)

FORMAT = "repro-replay"
FORMAT_VERSION = 1
BETAS = (0.9, 0.999)  # ReproAdamW's constants
EPSILON = 1e-8
EXIT_USAGE = 4


class ReplayError(Exception):
    """A problem the user can fix; the message says what and how."""


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("export", help="folder written by 'repro export'")
    parser.add_argument("--device", choices=["cpu", "cuda"], help="default: the device the export trained on")
    parser.add_argument("--out", help="where to write the metrics JSON (default: <export>/pytorch.json)")
    parser.add_argument("--no-compare", action="store_true", help="do not compare with torchsharp.json")
    args = parser.parse_args(argv)
    try:
        manifest = read_manifest(args.export)
        determinism = manifest["config"]["determinism"]
        device = args.device or manifest["device"]
        prepare_environment(determinism)
        import torch  # only now: ATen and cuBLAS read the environment when they load

        check_kernels(manifest["config"]["model"], device)

        apply_determinism(torch, determinism, manifest["config"]["seed"], device)
        metrics = Replay(torch, manifest, args.export, device).run()
    except ReplayError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE
    text = json.dumps(metrics, indent=2, allow_nan=False)
    print(text)
    out = args.out or os.path.join(args.export, "pytorch.json")
    with open(out, "w", encoding="utf-8") as f:
        f.write(text + "\n")
    print(f"Wrote {out}", file=sys.stderr)
    reference = os.path.join(args.export, "torchsharp.json")
    if args.no_compare or not os.path.exists(reference):
        return 0
    with open(reference, encoding="utf-8") as f:
        torchsharp = json.load(f)
    report, identical = compare.compare(torchsharp, metrics)
    print(report, file=sys.stderr)
    return 0 if identical else 1


def read_manifest(directory):
    path = os.path.join(directory, "config.json")
    if not os.path.exists(path):
        raise ReplayError(f"{path} not found. Create the export first: "
                          "dotnet run --project src/Repro.Cli -- export --config small --out " + directory)
    with open(path, encoding="utf-8") as f:
        manifest = json.load(f)
    if manifest.get("format") != FORMAT or manifest.get("formatVersion") != FORMAT_VERSION:
        raise ReplayError(f"{path} is format {manifest.get('format')!r} version {manifest.get('formatVersion')!r}; "
                          f"this script reads {FORMAT!r} version {FORMAT_VERSION}. Re-export with the Repro version "
                          "of this script, or use the script from the Repro version that exported.")
    return manifest


def check_kernels(model, device):
    """The model's kernel options (dualtask.kernel_options), refused where Repro refuses them."""
    from dualtask import kernel_options  # imports torch: call only after prepare_environment

    try:
        attention, batch_norm = kernel_options(model)
    except ValueError as error:
        raise ReplayError(f"{error}; this export comes from a Repro whose model this script does not mirror") from error
    if batch_norm == "cudnn" and device != "cuda":
        raise ReplayError('the export\'s model uses "batchNorm": "cudnn", which needs CUDA; replay on a GPU machine '
                          "(without --device cpu)")
    print(f"kernels: attention={attention}, batchNorm={batch_norm}", file=sys.stderr)


def prepare_environment(determinism):
    """Sets what libtorch reads once at load time; must run before the first `import torch`."""
    if "torch" in sys.modules:
        raise ReplayError("torch was imported before the determinism environment was set; run replay.py as a script")
    capability = determinism.get("cpuCapability")
    if capability:
        # Same rule as Repro's Determinism.PrepareNativeEnvironment: an existing value wins (and is checked later).
        os.environ.setdefault("ATEN_CPU_CAPABILITY", capability.lower())
    os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", determinism["cublasWorkspaceConfig"])
    if determinism.get("portableCpu", True):
        # Repro's portable CPU profile (CpuProfile.cs): MKL's vendor-independent code path, read once by MKL.
        cbwr = os.environ.setdefault("MKL_CBWR", "COMPATIBLE")
        if cbwr.upper() != "COMPATIBLE":
            raise ReplayError(f"MKL_CBWR={cbwr} is set, but the export trained under Repro's portable CPU profile "
                              "(MKL_CBWR=COMPATIBLE); unset it")


def apply_determinism(torch, determinism, seed, device):
    """The switches of Repro's Determinism.Apply, in PyTorch's spelling."""
    importlib.import_module("torch.utils.deterministic")  # not every torch version imports it with torch

    if device == "cuda" and not torch.cuda.is_available():
        raise ReplayError("the export trained on CUDA but this PyTorch sees no GPU; run on a GPU machine or pass --device cpu "
                          "(a CPU replay cannot be bit-identical to a CUDA run)")
    capability = determinism.get("cpuCapability")
    if capability:
        actual = torch.backends.cpu.get_cpu_capability()
        if actual.lower() != capability.lower():
            raise ReplayError(f"CPU capability {capability!r} was requested but PyTorch runs {actual!r} "
                              f"(ATEN_CPU_CAPABILITY={os.environ.get('ATEN_CPU_CAPABILITY')}). Unset a conflicting "
                              "ATEN_CPU_CAPABILITY, or use a CPU that supports the requested level.")
    torch.set_num_threads(determinism["intraOpThreads"])
    torch.manual_seed(seed)  # as Trainer.Run: the config's seed; TrainingSession reseeds before anything random
    torch.backends.cudnn.deterministic = determinism["cudnnDeterministic"]
    torch.backends.cudnn.benchmark = determinism["cudnnBenchmark"]
    torch.use_deterministic_algorithms(determinism["deterministicAlgorithms"], warn_only=determinism["warnOnly"])
    torch.utils.deterministic.fill_uninitialized_memory = determinism["fillUninitializedMemory"]
    set_tf32(torch, determinism["allowTF32"])


def set_tf32(torch, allow):
    """TF32 for cuBLAS matmuls and cuDNN; PyTorch 2.9 added fp32_precision and deprecated allow_tf32."""
    precision = "tf32" if allow else "ieee"
    try:
        torch.backends.cuda.matmul.fp32_precision = precision
        torch.backends.cudnn.conv.fp32_precision = precision
        torch.backends.cudnn.rnn.fp32_precision = precision
    except (AttributeError, RuntimeError, ValueError):
        torch.backends.cuda.matmul.allow_tf32 = allow
        torch.backends.cudnn.allow_tf32 = allow


class Split:
    def __init__(self, tensors, name):
        self.inputs = tensors[name + ".inputs"]
        self.rul = tensors[name + ".rul"]
        self.health = tensors[name + ".health"]
        self.units = tensors[name + ".units"]
        self.count = self.inputs.shape[0]


class Replay:
    """TrainingSession.Run in PyTorch. Method names follow the C# (TrainEpoch, Evaluate...)."""

    def __init__(self, torch, manifest, directory, device):
        self.torch = torch
        self.manifest = manifest
        self.config = manifest["config"]
        self.device = torch.device(device)
        data, _ = safetensors_io.load(os.path.join(directory, "data.safetensors"))
        self.train, self.validation, self.test = (Split(data, n) for n in ("train", "validation", "test"))
        self.initial, _ = safetensors_io.load(os.path.join(directory, "initial.safetensors"))
        self.orders, _ = safetensors_io.load(os.path.join(directory, "order.safetensors"))
        self.batch_size = self.config["batchSize"]
        self.steps = 0

    def run(self):
        torch = self.torch
        from dualtask import DualTaskModel

        config = self.config
        model = DualTaskModel(config["model"])
        self.check_keys(model)
        # Initial weights as exported (the trainer initialised them on the CPU generator), then the
        # device, then the training seed: TrainingSession's order.
        model.load_state_dict(self.initial, strict=True)
        model.to(self.device)
        torch.manual_seed(self.manifest["trainingSeed"])

        parameters = list(model.parameters())
        kernel = config.get("optimizer", "reference")  # absent at its default
        if kernel == "fused":
            optimizer = FusedAdamW(torch, parameters, config["learningRate"], config["weightDecay"])
        elif kernel == "reference" and self.device.type == "cpu" and config["determinism"].get("portableCpu", True):
            optimizer = PortableAdamW(torch, parameters, config["learningRate"], config["weightDecay"])
        elif kernel == "reference":
            optimizer = torch.optim.AdamW(parameters, lr=config["learningRate"], betas=BETAS, eps=EPSILON,
                                          weight_decay=config["weightDecay"], amsgrad=False, foreach=False)
        else:
            raise ReplayError(f"config optimizer={kernel!r} is not one of: reference, fused; this export comes from "
                              "a Repro whose optimizer this script does not mirror")
        decay = config["emaDecay"]
        # ExponentialMovingAverage: the options are absent from config.json at their defaults.
        self.ema_warmup = config.get("emaWarmup", False)
        averaged = decay is not None and config.get("emaBuffers", "live") == "averaged"
        # Averaged BatchNorm statistics: the floating-point buffers, swapped in and out with the weights.
        averaged_tensors = parameters + ([b for b in model.buffers() if b.is_floating_point()] if averaged else [])
        shadow = [t.detach().clone() for t in averaged_tensors] if decay is not None else None
        self.ema_updates = 0
        patience = config["earlyStoppingPatience"]

        epochs = []
        best_rmse, best_epoch, best_state = math.inf, 0, None
        for epoch in range(1, config["epochs"] + 1):
            total, rul, health = self.train_epoch(model, epoch, optimizer, averaged_tensors, shadow, decay)
            if shadow is not None:
                swap(torch, averaged_tensors, shadow)
            validation = self.evaluate(model, self.validation)
            if validation["rmse"] < best_rmse:  # NaN never wins, as in BestWeights.Offer
                best_rmse, best_epoch = validation["rmse"], epoch
                best_state = {k: v.detach().cpu().clone() for k, v in model.state_dict().items()}
            if shadow is not None:
                swap(torch, averaged_tensors, shadow)
            epochs.append({
                "epoch": epoch, "totalLoss": total, "rulLoss": rul, "healthLoss": health,
                "validationRmse": validation["rmse"], "validationNasaScore": validation["nasaScore"],
                "validationAccuracy": validation["accuracy"],
            })
            print(f"epoch {epoch}: loss {total!r} val rmse {validation['rmse']!r}", file=sys.stderr)
            if patience is not None and epoch - best_epoch >= patience:
                break
        # Early stopping restores the best (EMA-evaluated) state; otherwise the EMA weights stay in.
        if patience is not None:
            if best_state is not None:
                with torch.no_grad():
                    for name, value in model.state_dict().items():
                        value.copy_(best_state[name])
        elif shadow is not None:
            swap(torch, averaged_tensors, shadow)
        test = self.evaluate(model, self.test)
        warn_about_bias_correction(torch, self.steps)
        return {
            "source": "pytorch",
            "library": f"PyTorch {torch.__version__}",
            "device": self.device.type,
            "epochs": [json_floats(e) for e in epochs],
            "bestEpoch": best_epoch if patience is not None else None,
            "optimizerSteps": self.steps,
            "test": json_floats(test),
            "finalWeights": self.digests(model),
        }

    def check_keys(self, model):
        expected = self.manifest["stateDictKeys"]
        actual = list(model.state_dict().keys())
        if sorted(actual) != sorted(expected):
            missing = sorted(set(expected) - set(actual))
            extra = sorted(set(actual) - set(expected))
            raise ReplayError(f"dualtask.py's state_dict keys differ from the export's: missing {missing}, extra {extra}. "
                              "Update interop/pytorch/dualtask.py to match src/Repro/Model/DualTaskModel.cs.")

    def train_epoch(self, model, epoch, optimizer, parameters, shadow, decay):
        """TrainingSession.TrainEpoch."""
        torch = self.torch
        model.train()
        order = self.orders[f"epoch_{epoch}"].to(torch.int64)
        count, size = self.train.count, self.batch_size
        batch_count = (count + size - 1) // size
        sums = torch.zeros(3, dtype=torch.float64, device=self.device)
        accumulation = self.config["gradientAccumulationSteps"]
        for batch_index in range(1, batch_count + 1):
            samples = order[(batch_index - 1) * size: batch_index * size]
            inputs = self.gather(self.train.inputs, samples)
            rul_target = self.gather(self.train.rul, samples)
            health_target = self.gather(self.train.health, samples)
            rul, health = model(inputs)
            total, rul_loss, health_loss = amnl_loss(torch, rul.to(torch.float32), rul_target, health.to(torch.float32), health_target)
            (total if accumulation == 1 else total / accumulation).backward()
            with torch.no_grad():
                sums.add_(torch.stack([total.detach(), rul_loss.detach(), health_loss.detach()]).to(torch.float64) * len(samples))
            if batch_index % accumulation != 0 and batch_index != batch_count:
                continue
            optimizer.step()
            # ReproAdamW.ZeroGrad zeroes gradients in place; set_to_none would start the next
            # accumulation from a fresh tensor (same values, but not the same ops).
            optimizer.zero_grad(set_to_none=False)
            self.steps += 1
            if shadow is not None:
                # ExponentialMovingAverage.DecayAt: the warm-up counts the updates before this one.
                t = self.ema_updates
                step_decay = min(decay, (1.0 + t) / (10.0 + t)) if self.ema_warmup else decay
                with torch.no_grad():
                    for s, p in zip(shadow, parameters):
                        s.lerp_(p, 1 - step_decay)
                self.ema_updates += 1
        means = sums.cpu().tolist()
        rul_mean = means[1] / count
        health_mean = means[2] / count
        # As the C#: the AMNL total is 1 by construction, so report the unnormalised sum.
        return rul_mean + health_mean, rul_mean, health_mean

    def gather(self, source, samples):
        # A fresh (allocator-aligned) CPU tensor per batch, like the trainer's, then the device.
        return source.index_select(0, samples).to(self.device)

    def evaluate(self, model, split):
        """TrainingSession.Evaluate and RulMetrics, in double precision and element order."""
        torch = self.torch
        if split.count == 0:
            return {"rmse": math.nan, "nasaScore": math.nan, "accuracy": math.nan, "units": 0}
        model.eval()
        predicted, classes = [], []
        with torch.no_grad():
            for start in range(0, split.count, self.batch_size):
                inputs = split.inputs[start:start + self.batch_size].clone().to(self.device)
                rul, logits = model(inputs)
                rul = rul.to(torch.float32)
                if model.rul_head_kind == "linear":
                    # DualTaskCheck.Evaluate: a linear head's prediction is clamped to [0, rulCap].
                    rul = rul.clamp(0, self.config["data"]["preprocessing"]["rulCap"])
                predicted.extend(rul.cpu().tolist())
                classes.extend(logits.argmax(1).cpu().tolist())
        model.train()
        actual = split.rul.tolist()
        squares, nasa = 0.0, 0.0
        for p, a in zip(predicted, actual):
            d = p - a
            squares += d * d
            nasa += math.exp(-d / 13) - 1 if d < 0 else math.exp(d / 10) - 1
        correct = sum(1 for p, a in zip(classes, split.health.tolist()) if p == a)
        return {
            "rmse": math.sqrt(squares / len(predicted)),
            "nasaScore": nasa,
            "accuracy": correct / len(predicted),
            "units": len(set(split.units.tolist())),
        }

    def digests(self, model):
        """SHA-256 of each state_dict entry's raw bytes, in the export's (TorchSharp's) key order."""
        state = model.state_dict()
        result = []
        for name in self.manifest["stateDictKeys"]:
            tensor = state[name].detach().cpu().contiguous()
            raw = ctypes.string_at(tensor.data_ptr(), tensor.numel() * tensor.element_size()) if tensor.numel() else b""
            result.append({"name": name, "sha256": hashlib.sha256(raw).hexdigest()})
        return result


class PortableAdamW:
    """ReproAdamW's reference kernel under the portable CPU profile (src/Repro/Checks/AdamWUpdate.cs), op
    for op: torch.optim.AdamW's single-tensor update, except that the square root of the second moment is
    taken in float64 and rounded back (PortableSqrt.cs: the correctly rounded result on every CPU vendor)
    and sqrt(1 - beta2^t) is math.sqrt, as the C# Math.Sqrt."""

    def __init__(self, torch, parameters, lr, weight_decay):
        self.torch, self.parameters, self.lr, self.weight_decay = torch, list(parameters), lr, weight_decay
        self.exp_avg = [torch.zeros_like(p) for p in self.parameters]
        self.exp_avg_sq = [torch.zeros_like(p) for p in self.parameters]
        self.steps = 0

    def step(self):
        torch = self.torch
        self.steps += 1
        beta1, beta2 = BETAS
        step_size = self.lr / (1 - beta1 ** self.steps)
        correction2 = math.sqrt(1 - beta2 ** self.steps)
        with torch.no_grad():
            for p, m, v in zip(self.parameters, self.exp_avg, self.exp_avg_sq):
                if p.grad is None:
                    continue
                p.mul_(1 - self.lr * self.weight_decay)
                m.lerp_(p.grad, 1 - beta1)
                v.mul_(beta2).addcmul_(p.grad, p.grad, value=1 - beta2)
                if v.dtype == torch.float64:
                    raise ReplayError("float64 parameters: ReproAdamW takes their square root with .NET's Math.Sqrt, "
                                      "which this script does not mirror")
                denominator = v.to(torch.float64).sqrt_().to(v.dtype)
                denominator.div_(correction2).add_(EPSILON)
                p.addcdiv_(m, denominator, value=-step_size)

    def zero_grad(self, set_to_none=False):
        """ReproAdamW.ZeroGrad: in place."""
        for p in self.parameters:
            if p.grad is not None:
                p.grad.zero_()


class FusedAdamW:
    """ReproAdamW with AdamWKernel.Fused (src/Repro/Checks/ReproAdamW.cs StepFused), call for call: one
    ``torch._fused_adamw_`` over every parameter with a gradient, no amsgrad, no maximize, no grad scaling,
    and the optimizer's step count in one float32 tensor (``fill_(steps)`` before each call) that every
    parameter reads - what torch.optim.AdamW(fused=True) reads from its per-parameter state['step']."""

    def __init__(self, torch, parameters, lr, weight_decay):
        self.torch = torch
        self.parameters = parameters
        self.lr = lr
        self.weight_decay = weight_decay
        self.exp_avg = [torch.zeros_like(p) for p in parameters]
        self.exp_avg_sq = [torch.zeros_like(p) for p in parameters]
        self.step_count = None
        self.steps = 0

    def step(self):
        torch = self.torch
        self.steps += 1
        present = [i for i, p in enumerate(self.parameters) if p.grad is not None]
        if not present:
            return
        with torch.no_grad():
            if self.step_count is None:
                self.step_count = torch.zeros((), dtype=torch.float32, device=self.parameters[present[0]].device)
            self.step_count.fill_(self.steps)
            torch._fused_adamw_(
                [self.parameters[i] for i in present], [self.parameters[i].grad for i in present],
                [self.exp_avg[i] for i in present], [self.exp_avg_sq[i] for i in present], [],
                [self.step_count] * len(present),
                lr=self.lr, beta1=BETAS[0], beta2=BETAS[1], weight_decay=self.weight_decay, eps=EPSILON,
                amsgrad=False, maximize=False, grad_scale=None, found_inf=None)

    def zero_grad(self, set_to_none=False):
        """ReproAdamW.ZeroGrad: in place (set_to_none is accepted for torch.optim's signature only)."""
        for p in self.parameters:
            if p.grad is not None:
                p.grad.zero_()


def amnl_loss(torch, rul_prediction, rul_target, health_logits, health_target):
    """AmnlLoss.Compute: each task's loss divided by its own detached value."""
    functional = torch.nn.functional
    rul = functional.mse_loss(rul_prediction, rul_target)
    health = functional.cross_entropy(health_logits, health_target)
    total = 0.5 * rul / rul.detach() + 0.5 * health / health.detach()
    return total, rul, health


def warn_about_bias_correction(torch, steps):
    """ReproAdamW takes Math.Sqrt(1 - beta2^t); torch versions that write (1 - beta2**t) ** 0.5 round
    differently at a few steps (t = 1270, 2582, ... with glibc), which moves the weights by an ulp."""
    import inspect

    try:
        source = inspect.getsource(torch.optim.adam._single_tensor_adam)
    except (AttributeError, OSError, TypeError):
        return
    if "bias_correction2**0.5" not in source.replace(" ", ""):
        return
    beta2 = BETAS[1]
    mismatched = [t for t in range(1, steps + 1) if (1 - beta2 ** t) ** 0.5 != math.sqrt(1 - beta2 ** t)]
    if mismatched:
        print(f"note: torch.optim.AdamW computes sqrt(1 - beta2^t) as a power; it differs from ReproAdamW's "
              f"Math.Sqrt in the last bit at steps {mismatched[:5]}{'...' if len(mismatched) > 5 else ''}, "
              "so results can diverge from there on for that reason alone.", file=sys.stderr)


def swap(torch, parameters, shadow):
    """ExponentialMovingAverage.Swap: exchange trained and averaged weights by copying."""
    with torch.no_grad():
        for p, s in zip(parameters, shadow):
            trained = p.detach().clone()
            p.copy_(s)
            s.copy_(trained)


def json_floats(record):
    """.NET writes non-finite doubles as the strings "NaN", "Infinity", "-Infinity"; so do we."""
    def convert(value):
        if isinstance(value, float) and not math.isfinite(value):
            return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
        return value
    return {k: convert(v) for k, v in record.items()}


if __name__ == "__main__":
    sys.exit(main())
