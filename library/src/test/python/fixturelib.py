"""Helpers shared by the fixtures_<family>.py scripts."""
import pathlib

import torch
from safetensors.torch import save_file


def save_case(out_dir: pathlib.Path, family: str, case: str, tensors: dict, **meta):
    """Writes <out_dir>/<family>/<case>.safetensors with contiguous copies and string metadata."""
    path = pathlib.Path(out_dir) / family / f"{case}.safetensors"
    path.parent.mkdir(parents=True, exist_ok=True)
    clean = {k: v.detach().clone().contiguous() for k, v in tensors.items() if v is not None}
    save_file(clean, str(path), metadata={k: str(v) for k, v in meta.items()})
    return path


def with_grads(fn, inputs: dict, seed: int = 1234):
    """Runs fn(**inputs) and backward with a fixed upstream gradient; returns the tensors to save."""
    leaves = {k: v.detach().clone().requires_grad_(v.is_floating_point()) for k, v in inputs.items()}
    out = fn(**leaves)
    g = torch.Generator().manual_seed(seed)
    grad_out = torch.randn(out.shape, generator=g, dtype=out.dtype)
    out.backward(grad_out)
    saved = dict(leaves)
    saved["out"] = out
    saved["grad_out"] = grad_out
    for k, v in leaves.items():
        if v.grad is not None:
            saved[f"grad_{k}"] = v.grad
    return saved
