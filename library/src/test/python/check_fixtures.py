"""Fails when the committed fixtures disagree with freshly generated ones, so none can drift from PyTorch.

    python check_fixtures.py FRESH_DIR COMMITTED_DIR
"""
import pathlib
import sys

import torch
from safetensors import safe_open

RTOL, ATOL = 1e-5, 1e-6


def load(path):
    with safe_open(str(path), framework="pt") as f:
        return {k: f.get_tensor(k) for k in f.keys()}, f.metadata() or {}


def compare(fresh: pathlib.Path, committed: pathlib.Path):
    problems = []
    new = {p.relative_to(fresh) for p in fresh.rglob("*.safetensors")}
    old = {p.relative_to(committed) for p in committed.rglob("*.safetensors")}
    for rel in sorted(new - old):
        problems.append(f"{rel}: generated but not committed (run make_fixtures.py --out {committed})")
    for rel in sorted(old - new):
        problems.append(f"{rel}: committed but no script generates it any more")
    for rel in sorted(new & old):
        (a, ma), (b, mb) = load(fresh / rel), load(committed / rel)
        if ma != mb:
            problems.append(f"{rel}: metadata differs: {ma} vs {mb}")
        if a.keys() != b.keys():
            problems.append(f"{rel}: tensor names differ: {sorted(a)} vs {sorted(b)}")
            continue
        for k in a:
            x, y = a[k], b[k]
            if x.dtype != y.dtype or x.shape != y.shape:
                problems.append(f"{rel}:{k}: {x.dtype}{list(x.shape)} vs {y.dtype}{list(y.shape)}")
            elif x.is_floating_point() and not torch.allclose(x, y, rtol=RTOL, atol=ATOL, equal_nan=True):
                problems.append(f"{rel}:{k}: max abs diff {(x - y).abs().max().item():.3g}")
            elif not x.is_floating_point() and not torch.equal(x, y):
                problems.append(f"{rel}:{k}: values differ")
    return len(new | old), problems


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    count, problems = compare(pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]))
    for p in problems:
        print("DRIFT", p)
    print(f"fixtures: {count} files compared, {len(problems)} problems")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
