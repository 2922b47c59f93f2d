"""Training-step time of the DualTask model in PyTorch eager, for the side-by-side comparison with
bench/Repro.Bench's `step` mode (run both in one command on the same machine; docs/performance.md).

Two PyTorch models are timed:
  * mirror: interop/pytorch/dualtask.py, the op-for-op mirror of the TorchSharp model (C++ MHA path,
    batch_norm without cuDNN, libtorch's linear), with AdamW(foreach=False) like Repro's optimizer;
  * stock:  what a PyTorch user would write (nn.MultiheadAttention, nn.BatchNorm1d, nn.Linear) with
    PyTorch's default AdamW (foreach on CUDA).
Each with every determinism switch on, and off (PyTorch's defaults), measured round-robin.
With --graph (CUDA), the launch-free floor too: the same steps captured once in a CUDA graph and
replayed (capturable AdamW, static inputs), deterministic. With --scaling, step time vs batch size.
The last line is one JSON object of medians for interop/pytorch/figures.py.
"""

import argparse
import json
import os
import statistics
import sys
import time
from collections import OrderedDict

import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dualtask  # noqa: E402

CHAPTER = {
    "inputSize": 15, "conv1Channels": 64, "conv2Channels": 128, "conv3Channels": 64, "hiddenSize": 256,
    "lstmLayers": 2, "attentionHeads": 8, "dropout": 0.3, "attentionDropout": 0.1, "fullyConnectedSize": 128,
    "sharedSize": 64, "headSize": 32, "healthClasses": 3,
}


class StockDualTask(nn.Module):
    def __init__(self, c):
        super().__init__()
        d, h = c["dropout"], c["hiddenSize"]

        def block(i, o):
            return nn.Sequential(nn.Conv1d(i, o, 3, padding=1), nn.BatchNorm1d(o), nn.ReLU(), nn.Dropout(d))

        self.convs = nn.Sequential(block(c["inputSize"], c["conv1Channels"]), block(c["conv1Channels"], c["conv2Channels"]),
                                   block(c["conv2Channels"], c["conv3Channels"]))
        self.lstm = nn.LSTM(c["conv3Channels"], h // 2, c["lstmLayers"], batch_first=True, dropout=d, bidirectional=True)
        self.attention = nn.MultiheadAttention(h, c["attentionHeads"], dropout=c["attentionDropout"], batch_first=True)
        self.norm = nn.LayerNorm(h)
        self.drop = nn.Dropout(c["attentionDropout"])
        self.shared = nn.Sequential(nn.Linear(h, c["fullyConnectedSize"]), nn.ReLU(), nn.Dropout(d),
                                    nn.Linear(c["fullyConnectedSize"], c["sharedSize"]), nn.ReLU())
        self.rul = nn.Sequential(nn.Linear(c["sharedSize"], c["headSize"]), nn.ReLU(), nn.Linear(c["headSize"], 1), nn.ReLU())
        self.health = nn.Sequential(nn.Linear(c["sharedSize"], c["headSize"]), nn.ReLU(), nn.Dropout(d),
                                    nn.Linear(c["headSize"], c["healthClasses"]))

    def forward(self, x):
        x = self.convs(x.transpose(1, 2)).transpose(1, 2)
        x, _ = self.lstm(x)
        a, _ = self.attention(x, x, x, need_weights=False)
        x = self.norm(x + self.drop(a)).mean(1)
        x = self.shared(x)
        return self.rul(x).squeeze(-1), self.health(x)


def determinism(on):
    torch.backends.cudnn.deterministic = on
    torch.backends.cudnn.benchmark = not on
    torch.use_deterministic_algorithms(on)
    torch.utils.deterministic.fill_uninitialized_memory = on
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False


def make(kind, device, batch, window, capturable=False):
    torch.manual_seed(42)
    model = (dualtask.DualTaskModel(CHAPTER) if kind == "mirror" else StockDualTask(CHAPTER)).to(device).train()
    options = {"foreach": False} if kind == "mirror" else {}
    if capturable:
        options["capturable"] = True
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=1e-4, **options)
    g = torch.Generator().manual_seed(3)
    x = torch.randn(batch, window, 15, generator=g).to(device)
    rul = (torch.rand(batch, generator=g) * 125).to(device)
    health = torch.randint(0, 3, (batch,), generator=g).to(device)
    return model, optimizer, x, rul, health


def step_body(setup):
    model, optimizer, x, rul_t, health_t = setup
    rul, health = model(x)
    lr = nn.functional.mse_loss(rul, rul_t)
    lh = nn.functional.cross_entropy(health, health_t)
    loss = 0.5 * lr / lr.detach() + 0.5 * lh / lh.detach()
    loss.backward()
    optimizer.step()
    optimizer.zero_grad(set_to_none=False)


def steps(setup, count, device):
    sync = torch.cuda.synchronize if device == "cuda" else (lambda: None)
    sync()
    start = time.perf_counter()
    for _ in range(count):
        step_body(setup)
    sync()
    return (time.perf_counter() - start) * 1000 / count


class Graphed:
    """One training step captured in a CUDA graph: replaying it launches no kernel from the host."""

    def __init__(self, kind, device, batch, window):
        self.setup = make(kind, device, batch, window, capturable=True)
        side = torch.cuda.Stream()
        side.wait_stream(torch.cuda.current_stream())
        with torch.cuda.stream(side):  # warm-up (allocations, cuDNN plans, .grad tensors) off the capture
            for _ in range(3):
                step_body(self.setup)
        torch.cuda.current_stream().wait_stream(side)
        self.graph = torch.cuda.CUDAGraph()
        with torch.cuda.graph(self.graph):
            step_body(self.setup)

    def steps(self, count):
        torch.cuda.synchronize()
        start = time.perf_counter()
        for _ in range(count):
            self.graph.replay()
        torch.cuda.synchronize()
        return (time.perf_counter() - start) * 1000 / count


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--batch", type=int, default=256)
    parser.add_argument("--window", type=int, default=30)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--graph", choices=["yes", "no"], default="yes", help="also time the steps captured in a CUDA graph (CUDA only)")
    parser.add_argument("--scaling", choices=["yes", "no"], default="no", help="also time stock and graphed steps at batch 64..1024")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    variants = [(kind, on, False) for kind in ("mirror", "stock") for on in (True, False)]
    if args.graph == "yes" and args.device == "cuda":
        variants += [("mirror", True, True), ("stock", True, True)]
    setups = {}
    for kind, on, graph in variants:
        determinism(on)
        try:
            setups[(kind, on, graph)] = Graphed(kind, args.device, args.batch, args.window) if graph else make(kind, args.device, args.batch, args.window)
            run(setups[(kind, on, graph)], 3, args.device)
        except RuntimeError as error:  # e.g. an op without a deterministic implementation, or not capturable
            print(f"{name_of(kind, on, graph)}: failed: {str(error).splitlines()[0]}")
            setups.pop((kind, on, graph), None)
    variants = [v for v in variants if v in setups]
    samples = {v: [] for v in variants}
    for _ in range(args.rounds):
        for v in variants:
            determinism(v[1])
            samples[v].append(run(setups[v], args.steps, args.device))
    print(f"PyTorch {torch.__version__} step time, chapter model, batch {args.batch}, window {args.window}, {args.device}, "
          f"{args.steps} steps per sample, {args.rounds} rounds")
    results = {}
    for v, values in samples.items():
        name = name_of(*v)
        results[name] = statistics.median(values)
        print(f"{name:<56} median {statistics.median(values):8.3f} ms/step  min {min(values):8.3f}  max {max(values):8.3f}")
    if args.scaling == "yes":
        scaling = {}
        for batch in (64, 128, 256, 512, 1024):
            for kind, on, graph in [("stock", True, False), ("stock", False, False), ("mirror", True, True)]:
                if graph and args.device != "cuda":
                    continue
                determinism(on)
                try:
                    setup = Graphed(kind, args.device, batch, args.window) if graph else make(kind, args.device, batch, args.window)
                    run(setup, 3, args.device)
                    value = statistics.median(run(setup, args.steps, args.device) for _ in range(3))
                except RuntimeError as error:
                    print(f"{name_of(kind, on, graph)} at batch {batch}: failed: {str(error).splitlines()[0]}")
                    continue
                scaling[f"{name_of(kind, on, graph)} {batch}x{args.window}"] = value
                print(f"  batch {batch:5} {name_of(kind, on, graph):<56} {value:8.3f} ms/step")
        results["scaling"] = scaling
    print("JSON " + json.dumps(results))


def name_of(kind, on, graph):
    return f"pytorch {kind}, deterministic {'on' if on else 'off'}" + (", CUDA graph" if graph else "")


def run(setup, count, device):
    return setup.steps(count) if isinstance(setup, Graphed) else steps(setup, count, device)


if __name__ == "__main__":
    main()
