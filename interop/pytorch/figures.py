"""The performance figures in one command on one GPU: Repro (bench/Repro.Bench `step`, a .NET process)
and PyTorch (bench_step.py) alternate for --rounds rounds, so drift of a shared machine hits both
alike; the medians over rounds give each ratio. Prints the table docs/performance.md takes and
writes figures.json (every sample) to --out.

Usage (on the GPU machine, from the repository root; scripts/gpu/run.sh figures does this):
  python3 interop/pytorch/figures.py --bench /tmp/repro-app/Repro.Bench --out gpu-out --rounds 3
"""

import argparse
import json
import os
import statistics
import subprocess
import sys


def json_line(command):
    print("$ " + " ".join(command), flush=True)
    result = subprocess.run(command, capture_output=True, text=True)
    sys.stdout.write(result.stdout)
    sys.stderr.write(result.stderr)
    lines = [line[5:] for line in result.stdout.splitlines() if line.startswith("JSON ")]
    if result.returncode != 0 or not lines:
        raise SystemExit(f"{command[0]} failed (exit {result.returncode}) or printed no JSON line")
    return json.loads(lines[-1])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bench", required=True, help="the Repro.Bench executable")
    parser.add_argument("--out", default="gpu-out")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--steps", type=int, default=20)
    args = parser.parse_args()
    here = os.path.dirname(os.path.abspath(__file__))
    samples = {}
    for round_ in range(args.rounds):
        scaling = "yes" if round_ == 0 else "no"
        repro = json_line([args.bench, "step", "--device", "cuda", "--config", "chapter", "--rounds", "1", "--steps", str(args.steps), "--scaling", scaling])
        pytorch = json_line([sys.executable, os.path.join(here, "bench_step.py"), "--device", "cuda", "--rounds", "1", "--steps", str(args.steps), "--scaling", scaling])
        for source in (repro, pytorch):
            for name, value in source.items():
                if isinstance(value, dict):
                    for key, ms in value.items():
                        samples.setdefault("scaling " + key, []).append(ms)
                else:
                    samples.setdefault(name, []).append(value)
    medians = {name: statistics.median(values) for name, values in samples.items()}
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "figures.json"), "w") as f:
        json.dump({"samples": samples, "medians": medians}, f, indent=2)
    sys.path.insert(0, here)
    import figures_chart
    figures_chart.main(os.path.join(args.out, "figures.json"), os.path.join(args.out, "figures.svg"))

    def ratio(a, b):
        return f"{medians[a] / medians[b]:.3f}" if a in medians and b in medians else "n/a"

    flat = "repro deterministic, flat parameters"
    graph = "repro deterministic, CUDA graph (forward+backward)"
    default = "repro deterministic (all switches on)"
    print(f"\nMedians over {args.rounds} alternating rounds (ms/step):")
    for name in sorted(medians):
        print(f"  {name:<70} {medians[name]:9.3f}")
    print("\nRatios (goal in brackets):")
    for repro in (graph, default, flat):
        print(f"  {repro} / pytorch stock, deterministic on  [<= 0.70]: {ratio(repro, 'pytorch stock, deterministic on')}")
        print(f"  {repro} / pytorch stock, deterministic off [<= 1.00]: {ratio(repro, 'pytorch stock, deterministic off')}")
        print(f"  {repro} / pytorch mirror, CUDA graph (launch-free floor): {ratio(repro, 'pytorch mirror, deterministic on, CUDA graph')}")
    print(f"  cost of determinism, CUDA graph (on / off) [<= 1.03]: {ratio(graph, 'repro all switches off, CUDA graph (forward+backward)')}")
    print(f"  CUDA graph: no fill of uninitialised memory / all off: {ratio('repro on, but no fill of uninitialised memory, CUDA graph', 'repro all switches off, CUDA graph (forward+backward)')}")
    print(f"  CUDA graph: deterministic algorithms off / all off: {ratio('repro on, but deterministic algorithms off, CUDA graph', 'repro all switches off, CUDA graph (forward+backward)')}")
    print(f"  cost of determinism, flat (on / off) [<= 1.03]: {ratio(flat, 'repro all switches off, flat parameters')}")
    print(f"  cost of determinism, default layout (on / off) [<= 1.03]: {ratio(default, 'repro all switches off')}")


if __name__ == "__main__":
    main()
