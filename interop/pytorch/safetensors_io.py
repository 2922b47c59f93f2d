"""Reads the safetensors files of a Repro export with the standard library (plus torch for tensors).

Format: 8-byte little-endian header length N, N bytes of JSON
``{name: {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {...}}``, then the data.
The ``safetensors`` package reads these files too; this module exists so that nothing beyond torch
has to be installed.
"""

import json
import struct
import sys

ELEMENT_SIZES = {"F64": 8, "F32": 4, "F16": 2, "BF16": 2, "I64": 8, "I32": 4, "I16": 2, "I8": 1, "U8": 1, "BOOL": 1}


def read_raw(path):
    """Returns (entries, metadata): entries is a list of (name, dtype, shape, bytes) in header order."""
    with open(path, "rb") as f:
        blob = f.read()
    if len(blob) < 8:
        raise ValueError(f"{path}: {len(blob)} bytes, too short for a safetensors file; re-export it")
    (header_length,) = struct.unpack("<Q", blob[:8])
    if header_length > len(blob) - 8:
        raise ValueError(f"{path}: header length {header_length} exceeds the file; truncated? re-export it")
    header = json.loads(blob[8:8 + header_length].decode("utf-8"))
    data = memoryview(blob)[8 + header_length:]
    metadata = header.pop("__metadata__", {}) or {}
    entries = []
    for name, info in header.items():
        dtype = info["dtype"]
        if dtype not in ELEMENT_SIZES:
            raise ValueError(f"{path}: tensor {name!r} has unsupported dtype {dtype}")
        shape = [int(d) for d in info["shape"]]
        begin, end = (int(o) for o in info["data_offsets"])
        count = 1
        for d in shape:
            count *= d
        if not 0 <= begin <= end <= len(data) or end - begin != count * ELEMENT_SIZES[dtype]:
            raise ValueError(f"{path}: tensor {name!r} has data_offsets [{begin}, {end}] that do not fit "
                             f"{dtype} {shape} in {len(data)} data bytes; re-export it")
        entries.append((name, dtype, shape, bytes(data[begin:end])))
    return entries, metadata


def load(path):
    """Returns (OrderedDict name -> CPU tensor, metadata); tensors own their memory."""
    import torch
    from collections import OrderedDict

    if sys.byteorder != "little":
        raise RuntimeError("safetensors data is little-endian; this reader needs a little-endian machine")
    dtypes = {"F64": torch.float64, "F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16,
              "I64": torch.int64, "I32": torch.int32, "I16": torch.int16, "I8": torch.int8,
              "U8": torch.uint8, "BOOL": torch.bool}
    entries, metadata = read_raw(path)
    tensors = OrderedDict()
    for name, dtype, shape, raw in entries:
        if len(raw) == 0:
            tensors[name] = torch.empty(shape, dtype=dtypes[dtype])
        else:
            # bytearray: frombuffer on immutable bytes warns; clone so the tensor owns its memory.
            tensors[name] = torch.frombuffer(bytearray(raw), dtype=dtypes[dtype]).reshape(shape).clone()
    return tensors, metadata
