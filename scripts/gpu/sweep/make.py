"""Writes the sizing sweep of a chapter-model configuration with the learning options (issue 11,
docs/learning.md "The chapter model on a GPU"): the chapter config with EMA warm-up, averaged
BatchNorm statistics and the linear RUL head (output scale 125), varied in fleet size, stride,
batch, learning rate, weight decay and dropout.

Usage: repro run --config chapter --print-config > chapter.json
       python3 scripts/gpu/sweep/make.py chapter.json scripts/gpu/sweep
       bash scripts/gpu/sweep/run.sh   (on the GPU machine)
"""
import copy
import json
import os
import sys

VARIANTS = {
    # name: (train units, stride, batch, epochs, patience, learning rate, weight decay, dropout)
    "a-chapterdata": (100, 1, 256, 5, 3, 1e-3, 1e-4, None),
    "b-batch64": (100, 1, 64, 5, 3, 1e-3, 1e-4, None),
    "c-200u": (200, 1, 256, 5, 3, 1e-3, 1e-4, None),
    "d-200u-s2-b64": (200, 2, 64, 5, 3, 1e-3, 1e-4, None),
    "e-400u-s4-b64": (400, 4, 64, 5, 3, 1e-3, 1e-4, None),
    "f-200u-10ep": (200, 1, 256, 10, 3, 1e-3, 1e-4, None),
    "g-400u-b256-10ep": (400, 1, 256, 10, 3, 1e-3, 1e-4, None),
    "h-lr3e-4": (400, 1, 256, 10, 3, 3e-4, 1e-4, None),
    "i-wd1e-2": (400, 1, 256, 10, 3, 1e-3, 1e-2, None),
    "j-lr3e-4-wd1e-2": (400, 1, 256, 10, 3, 3e-4, 1e-2, None),
    "k-800u-s2-lr3e-4": (800, 2, 256, 10, 3, 3e-4, 1e-4, None),
    "l-lr1e-4": (400, 1, 256, 15, 3, 1e-4, 1e-4, None),
    "long-400u-40ep": (400, 1, 256, 40, 8, 1e-3, 1e-4, None),
    "m-drop05-lr3e-4": (400, 1, 256, 10, 3, 3e-4, 1e-4, 0.5),
    "n-1600u-s4-lr3e-4": (1600, 4, 256, 5, 3, 3e-4, 1e-4, None),
    "o-1600u-s2-lr3e-4": (1600, 2, 256, 5, 3, 3e-4, 1e-4, None),
    "p-3200u-s4-lr3e-4": (3200, 4, 256, 5, 3, 3e-4, 1e-4, None),
    "q-800u-s2-lr1e-3": (800, 2, 256, 5, 3, 1e-3, 1e-4, None),
    # Second sweep (2026-12-02, issue 22): why every variant above overfits from epoch 2. Each varies q
    # (the best above) by the settings in its last element (dotted paths into the config).
    "g2-noema": (800, 2, 256, 8, 3, 1e-3, 1e-4, None, {"emaDecay": None, "emaWarmup": False, "emaBuffers": "live"}),
    "g2-ema099": (800, 2, 256, 8, 3, 1e-3, 1e-4, None, {"emaDecay": 0.99}),
    "g2-noema-lr3e-4": (800, 2, 256, 10, 3, 3e-4, 1e-4, None, {"emaDecay": None, "emaWarmup": False, "emaBuffers": "live"}),
    "g2-noema-lr1e-4": (800, 2, 256, 10, 3, 1e-4, 1e-4, None, {"emaDecay": None, "emaWarmup": False, "emaBuffers": "live"}),
    "g2-wd5e-2": (800, 2, 256, 8, 3, 1e-3, 5e-2, None),
    "g2-b1024-lr2e-3": (800, 2, 1024, 8, 3, 2e-3, 1e-4, None),
    "g2-narrow": (800, 2, 256, 8, 3, 1e-3, 1e-4, None, {"model.hiddenSize": 64, "model.conv1Channels": 32, "model.conv2Channels": 64, "model.conv3Channels": 32, "model.fullyConnectedSize": 64}),
    "g2-lstm1": (800, 2, 256, 8, 3, 1e-3, 1e-4, None, {"model.lstmLayers": 1}),
    "g2-drop01": (800, 2, 256, 8, 3, 1e-3, 1e-4, 0.1),
    "g2-window50": (800, 2, 256, 8, 3, 1e-3, 1e-4, None, {"data.preprocessing.windowLength": 50}),
    "g2-1600u-s4": (1600, 4, 256, 8, 3, 1e-3, 1e-4, None),
    "g2-noema-narrow-lr3e-4": (800, 2, 256, 10, 3, 3e-4, 1e-4, None, {"emaDecay": None, "emaWarmup": False, "emaBuffers": "live", "model.hiddenSize": 64, "model.conv1Channels": 32, "model.conv2Channels": 64, "model.conv3Channels": 32, "model.fullyConnectedSize": 64}),
}


def main(chapter_file, folder):
    chapter = json.load(open(chapter_file))
    os.makedirs(folder, exist_ok=True)
    for name, (units, stride, batch, epochs, patience, lr, wd, dropout, *overrides) in VARIANTS.items():
        c = copy.deepcopy(chapter)
        c.update(name="sweep-" + name, emaWarmup=True, emaBuffers="averaged", batchSize=batch, epochs=epochs,
                 earlyStoppingPatience=patience, learningRate=lr, weightDecay=wd)
        c["model"].update(rulHead="linear", rulOutputScale=125)
        if dropout is not None:
            c["model"]["dropout"] = dropout
        c["data"]["synthetic"]["trainUnits"] = units
        c["data"]["preprocessing"]["stride"] = stride
        c["determinism"]["device"] = "cuda"
        for path, value in (overrides[0] if overrides else {}).items():
            *parents, leaf = path.split(".")
            node = c
            for key in parents:
                node = node[key]
            node[leaf] = value
        with open(os.path.join(folder, name + ".json"), "w") as f:
            json.dump(c, f, indent=2)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
