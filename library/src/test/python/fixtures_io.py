"""Safetensors files written by PyTorch, for nnlab's reader: every dtype nnlab maps, plus metadata."""
import pathlib

import torch

from fixturelib import save_case


def generate(out_dir: pathlib.Path):
    g = torch.Generator().manual_seed(7)
    save_case(out_dir, "io", "dtypes", {
        "f32": torch.randn(3, 4, generator=g),
        "f64": torch.randn(2, 3, generator=g, dtype=torch.float64),
        "i64": torch.arange(-3, 3, dtype=torch.int64).reshape(2, 3),
        "bool": torch.tensor([True, False, True]),
        "scalar": torch.tensor(2.5),
        "empty": torch.zeros(0, 3),
        "f16": torch.tensor([1.0, -2.5, 65504.0, 6.1e-5, 0.0]).half(),
        "bf16": torch.tensor([1.0, -2.5, 3.0e38, 0.0]).bfloat16(),
        "i32": torch.tensor([-7, 0, 2**31 - 1], dtype=torch.int32),
        "u8": torch.tensor([0, 255, 7], dtype=torch.uint8),
    }, producer="torch", note="written by fixtures_io.py")
    # The half-precision values as float32, for checking the conversion.
    save_case(out_dir, "io", "half_as_float", {
        "f16": torch.tensor([1.0, -2.5, 65504.0, 6.1e-5, 0.0]).half().float(),
        "bf16": torch.tensor([1.0, -2.5, 3.0e38, 0.0]).bfloat16().float(),
    })
