"""Fails when the committed fixtures disagree with freshly generated ones, so none can drift from PyTorch.

    python check_fixtures.py FRESH_DIR COMMITTED_DIR

A fresh run on another machine computes with other SIMD kernels and summation orders, so its float tensors differ
from the committed ones by float32 rounding. That error is bounded by the size of what was summed, not by each
result (an element that cancels to near 0 keeps the absolute error of its neighbours), so each tensor is compared
against its own scale: |fresh - committed| <= ATOL + RTOL * max|committed|. A changed script or seed moves values by
far more. Quantities that rounding noise dominates (a gradient that is 0 in exact arithmetic, an Adam step on it, an
argmax between near-equal values) must not be stored at all: the fixture scripts avoid them.

Every failure says what to do: regenerate after a script change, or use the PyTorch release that wrote the fixtures.
"""
import pathlib
import sys

import torch
from safetensors import safe_open

from make_fixtures import VERSION_FILE, torch_version

RTOL, ATOL = 1e-5, 1e-6
HERE = pathlib.Path(__file__).resolve().parent
REGENERATE = f"python {HERE / 'make_fixtures.py'} --out COMMITTED_DIR"


def load(path):
    with safe_open(str(path), framework="pt") as f:
        return {k: f.get_tensor(k) for k in f.keys()}, f.metadata() or {}


def close(x, y):
    """Float tensors within rounding of their scale; NaN matches NaN, infinities match exactly."""
    same_special = torch.equal(x.isnan(), y.isnan()) and torch.equal(x.isinf(), y.isinf()) and torch.equal(
        x[x.isinf()], y[y.isinf()])
    finite = x.isfinite() & y.isfinite()
    if not same_special:
        return False, float("inf")
    if not finite.any():
        return True, 0.0
    a, b = x[finite].double(), y[finite].double()
    diff = (a - b).abs().max().item()
    return diff <= ATOL + RTOL * b.abs().max().item(), diff


def compare(fresh: pathlib.Path, committed: pathlib.Path):
    problems = []
    new = {p.relative_to(fresh) for p in fresh.rglob("*.safetensors")}
    old = {p.relative_to(committed) for p in committed.rglob("*.safetensors")}
    for rel in sorted(new - old):
        problems.append(f"{rel}: generated but not committed")
    for rel in sorted(old - new):
        problems.append(f"{rel}: committed but no script generates it any more (delete it)")
    for rel in sorted(new & old):
        (a, ma), (b, mb) = load(fresh / rel), load(committed / rel)
        if ma != mb:
            keys = sorted(k for k in set(ma) | set(mb) if ma.get(k) != mb.get(k))
            problems.append(f"{rel}: metadata {keys} differs: {[ma.get(k) for k in keys]} vs {[mb.get(k) for k in keys]}")
        if a.keys() != b.keys():
            problems.append(f"{rel}: tensor names differ: {sorted(a)} vs {sorted(b)}")
            continue
        for k in a:
            x, y = a[k], b[k]
            if x.dtype != y.dtype or x.shape != y.shape:
                problems.append(f"{rel}:{k}: {x.dtype}{list(x.shape)} vs {y.dtype}{list(y.shape)}")
            elif x.is_floating_point():
                ok, diff = close(x, y)
                if not ok:
                    scale = y[y.isfinite()].abs().max().item() if y.isfinite().any() else 0.0
                    problems.append(f"{rel}:{k}: max abs diff {diff:.3g} > {ATOL:g} + {RTOL:g} * {scale:.3g}")
            elif not torch.equal(x, y):
                problems.append(f"{rel}:{k}: values differ")
    return len(new | old), problems


def advice(committed: pathlib.Path):
    """What the user can do about a drift, by what is likely its cause."""
    version_file = committed / VERSION_FILE
    wrote = version_file.read_text().strip() if version_file.exists() else None
    here = torch_version()
    regenerate = REGENERATE.replace("COMMITTED_DIR", str(committed))
    if wrote is not None and wrote != here:
        return (f"The fixtures were written by PyTorch {wrote}, this run used PyTorch {here}: install torch=={wrote}.* "
                f"into the virtualenv, or move the fixtures to {here} with `{regenerate}` and check that "
                "`mvn -pl library test` still passes.")
    return (f"If you changed a fixture script, regenerate the fixtures with `{regenerate}` and commit them. If you did "
            "not, a script stores a quantity that rounding noise dominates (see this file's docstring): fix the script.")


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    fresh, committed = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    count, problems = compare(fresh, committed)
    for p in problems:
        print("DRIFT", p)
    print(f"fixtures: {count} files compared, {len(problems)} problems (PyTorch {torch_version()}, "
          f"CPU capability {torch.backends.cpu.get_cpu_capability()})")
    if problems:
        print(advice(committed))
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
