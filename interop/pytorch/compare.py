#!/usr/bin/env python3
"""Compares two replay metric files (torchsharp.json, pytorch.json) epoch by epoch.

    python3 interop/pytorch/compare.py /tmp/export/torchsharp.json /tmp/export/pytorch.json

Prints, per epoch and for the test split, the largest absolute and relative difference over the
metrics and whether every value is bit-identical, then which final weights differ (SHA-256).
Exit code 0 when everything is bit-identical, 1 otherwise. Standard library only.
"""

import json
import math
import struct
import sys

EPOCH_METRICS = ["totalLoss", "rulLoss", "healthLoss", "validationRmse", "validationNasaScore", "validationAccuracy"]
TEST_METRICS = ["rmse", "nasaScore", "accuracy"]


def number(value):
    """.NET writes non-finite doubles as strings; accept both spellings."""
    if isinstance(value, str):
        return {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}[value]
    return float(value)


def same_bits(a, b):
    return struct.pack("<d", a) == struct.pack("<d", b) or (math.isnan(a) and math.isnan(b))


def differences(reference, candidate, keys):
    """(max abs diff, max rel diff, identical, first differing key) over the keys."""
    max_abs, max_rel, identical, first = 0.0, 0.0, True, None
    for key in keys:
        a, b = number(reference[key]), number(candidate[key])
        if same_bits(a, b):
            continue
        identical = False
        first = first or key
        diff = abs(a - b)
        if math.isnan(diff):  # NaN on one side only, or inf - inf
            diff = math.inf
        max_abs = max(max_abs, diff)
        max_rel = max(max_rel, diff / abs(a) if a != 0 else math.inf)
    return max_abs, max_rel, identical, first


def compare(reference, candidate):
    """Returns (report text, bit-identical?)."""
    lines = [f"reference: {reference.get('source')} ({reference.get('library')}, {reference.get('device')})",
             f"candidate: {candidate.get('source')} ({candidate.get('library')}, {candidate.get('device')})"]
    identical = True
    ref_epochs, cand_epochs = reference["epochs"], candidate["epochs"]
    if len(ref_epochs) != len(cand_epochs):
        identical = False
        lines.append(f"epochs: reference ran {len(ref_epochs)}, candidate {len(cand_epochs)} (early stopping diverged)")
    lines.append(f"{'epoch':>5}  {'max abs diff':>12}  {'max rel diff':>12}  bit-identical")
    for ref, cand in zip(ref_epochs, cand_epochs):
        max_abs, max_rel, same, first = differences(ref, cand, EPOCH_METRICS)
        identical &= same
        lines.append(f"{ref['epoch']:>5}  {max_abs:>12.3e}  {max_rel:>12.3e}  {'yes' if same else 'no (first: ' + first + ')'}")
    max_abs, max_rel, same, first = differences(reference["test"], candidate["test"], TEST_METRICS)
    identical &= same
    lines.append(f"{'test':>5}  {max_abs:>12.3e}  {max_rel:>12.3e}  {'yes' if same else 'no (first: ' + first + ')'}")
    for key in ("bestEpoch", "optimizerSteps"):
        if reference.get(key) != candidate.get(key):
            identical = False
            lines.append(f"{key}: reference {reference.get(key)}, candidate {candidate.get(key)}")
    ref_weights = {w["name"]: w["sha256"] for w in reference.get("finalWeights", [])}
    cand_weights = {w["name"]: w["sha256"] for w in candidate.get("finalWeights", [])}
    differing = [name for name in ref_weights if ref_weights[name] != cand_weights.get(name)]
    missing = sorted(set(cand_weights) ^ set(ref_weights))
    if differing or missing:
        identical = False
        lines.append(f"final weights: {len(differing)} of {len(ref_weights)} differ"
                     + (f" (first: {differing[0]})" if differing else "")
                     + (f"; names only on one side: {missing}" if missing else ""))
    else:
        lines.append(f"final weights: all {len(ref_weights)} state_dict entries bit-identical")
    lines.append("BIT-IDENTICAL" if identical else "DIFFERENT")
    return "\n".join(lines), identical


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 4
    with open(argv[0], encoding="utf-8") as f:
        reference = json.load(f)
    with open(argv[1], encoding="utf-8") as f:
        candidate = json.load(f)
    report, identical = compare(reference, candidate)
    print(report)
    return 0 if identical else 1


if __name__ == "__main__":
    sys.exit(main())
