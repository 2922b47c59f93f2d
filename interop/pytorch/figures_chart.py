"""Draws the step-time chart of docs/performance.md from a figures.json written by figures.py:
median ms/step per variant as horizontal bars, and step time against batch size; given the output
of `Repro.Bench hash` as well, the fingerprint throughput (GB/s) of each hashing path below them.
Plain SVG, no plotting library, so it runs wherever figures.py ran and here.

Usage: python3 interop/pytorch/figures_chart.py docs/gpu-runs/<run>/figures.json docs/performance-step.svg [bench-hash.txt]
"""

import json
import re
import sys
from html import escape

BARS = [
    ("repro deterministic, CUDA graph (forward+backward)", "Repro, deterministic, CUDA graph (default on CUDA)"),
    ("repro deterministic, flat parameters", "Repro, deterministic, eager (flat parameters)"),
    ("repro deterministic, per-tensor parameters", "Repro, deterministic (per-tensor parameters)"),
    ("repro all switches off, flat parameters", "Repro, all determinism switches off (flat)"),
    ("pytorch stock, deterministic on", "PyTorch stock modules, deterministic"),
    ("pytorch stock, deterministic off", "PyTorch stock modules, non-deterministic"),
    ("pytorch mirror, deterministic on", "PyTorch mirror of Repro's ops, deterministic"),
    ("pytorch mirror, deterministic on, CUDA graph", "PyTorch mirror in a CUDA graph (launch-free floor)"),
    ("pytorch stock, deterministic on, CUDA graph", "PyTorch stock in a CUDA graph"),
]
SERIES = [
    ("scaling flat+graph", "Repro CUDA graph", "#17becf"),
    ("scaling flat", "Repro flat", "#1f77b4"),
    ("scaling per-tensor", "Repro per-tensor", "#aec7e8"),
    ("scaling pytorch stock, deterministic on", "PyTorch stock, det.", "#d62728"),
    ("scaling pytorch stock, deterministic off", "PyTorch stock, non-det.", "#ff9896"),
    ("scaling pytorch mirror, deterministic on, CUDA graph", "mirror in CUDA graph", "#2ca02c"),
]


# A Repro.Bench hash line: "<CPU|CUDA> <path> median <ms> ms  min <ms>  <GB/s> GB/s ...".
HASH_LINE = re.compile(r"^(CPU|CUDA)\s+(.+?)\s+median\s+[\d.]+ ms\s+min\s+[\d.]+\s+([\d.]+) GB/s")


def throughput(hash_log):
    return [(f"{device} {path}", float(gbs)) for device, path, gbs in
            (m.groups() for m in map(HASH_LINE.match, open(hash_log).read().splitlines()) if m)]


def main(source, target, hash_log=None):
    medians = json.load(open(source))["medians"]
    width, left, bar_h, gap = 900, 370, 22, 8
    bars = [(label, medians[key]) for key, label in BARS if key in medians]
    top = 40
    scale = (width - left - 80) / max(v for _, v in bars)
    parts = [f'<text x="10" y="24" font-size="16" font-weight="bold">Training step, chapter model, batch 256 x 30 (median ms/step)</text>']
    for i, (label, value) in enumerate(bars):
        y = top + i * (bar_h + gap)
        parts.append(f'<text x="{left - 8}" y="{y + 16}" text-anchor="end" font-size="13">{escape(label)}</text>')
        parts.append(f'<rect x="{left}" y="{y}" width="{value * scale:.1f}" height="{bar_h}" fill="{"#1f77b4" if label.startswith("Repro") else "#888"}"/>')
        parts.append(f'<text x="{left + value * scale + 6:.1f}" y="{y + 16}" font-size="13">{value:.2f}</text>')
    # Step time vs batch size (window 30).
    batches = [64, 128, 256, 512, 1024]
    chart_top = top + len(bars) * (bar_h + gap) + 60
    chart_h, chart_left, chart_w = 260, 80, width - 320
    points = {}
    for key, label, color in SERIES:
        values = [medians.get(f"{key} {b}x30") for b in batches]
        if all(v is not None for v in values):
            points[label] = (values, color)
    peak = max(max(v) for v, _ in points.values())
    parts.append(f'<text x="10" y="{chart_top - 20}" font-size="16" font-weight="bold">Step time vs batch size (window 30, ms/step)</text>')
    parts.append(f'<line x1="{chart_left}" y1="{chart_top + chart_h}" x2="{chart_left + chart_w}" y2="{chart_top + chart_h}" stroke="black"/>')
    parts.append(f'<line x1="{chart_left}" y1="{chart_top}" x2="{chart_left}" y2="{chart_top + chart_h}" stroke="black"/>')
    for tick in range(0, int(peak) + 5, 5):
        y = chart_top + chart_h - tick / (peak * 1.1) * chart_h
        parts.append(f'<text x="{chart_left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11">{tick}</text>')
    for j, b in enumerate(batches):
        x = chart_left + j / (len(batches) - 1) * chart_w
        parts.append(f'<text x="{x:.1f}" y="{chart_top + chart_h + 16}" text-anchor="middle" font-size="11">{b}</text>')
    for k, (label, (values, color)) in enumerate(points.items()):
        coords = " ".join(f"{chart_left + j / (len(batches) - 1) * chart_w:.1f},{chart_top + chart_h - v / (peak * 1.1) * chart_h:.1f}" for j, v in enumerate(values))
        parts.append(f'<polyline points="{coords}" fill="none" stroke="{color}" stroke-width="2"/>')
        ly = chart_top + 10 + k * 20
        parts.append(f'<rect x="{chart_left + chart_w + 20}" y="{ly}" width="14" height="4" fill="{color}"/>')
        parts.append(f'<text x="{chart_left + chart_w + 40}" y="{ly + 6}" font-size="12">{escape(label)}</text>')
    height = chart_top + chart_h + 40
    if hash_log is not None:
        # Fingerprint throughput: 100M float32 parameters, per-tensor and model hashes.
        rates = throughput(hash_log)
        hash_top = height + 40
        hash_scale = (width - left - 100) / max(v for _, v in rates)
        parts.append(f'<text x="10" y="{hash_top - 16}" font-size="16" font-weight="bold">Fingerprint of 100M float32 parameters (GB/s, higher is better)</text>')
        for i, (label, value) in enumerate(rates):
            y = hash_top + i * (bar_h + gap)
            parts.append(f'<text x="{left - 8}" y="{y + 16}" text-anchor="end" font-size="13">{escape(label)}</text>')
            parts.append(f'<rect x="{left}" y="{y}" width="{max(value * hash_scale, 1):.1f}" height="{bar_h}" fill="{"#1f77b4" if "lanesum128" in label else "#888"}"/>')
            parts.append(f'<text x="{left + max(value * hash_scale, 1) + 6:.1f}" y="{y + 16}" font-size="13">{value:.1f}</text>')
        height = hash_top + len(rates) * (bar_h + gap) + 20
    svg = f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif"><rect width="100%" height="100%" fill="white"/>' + "".join(parts) + "</svg>\n"
    open(target, "w").write(svg)
    print(f"wrote {target}: {len(bars)} bars, {len(points)} scaling series" + (f", {len(rates)} hashing paths" if hash_log else ""))


if __name__ == "__main__":
    main(*sys.argv[1:4])
