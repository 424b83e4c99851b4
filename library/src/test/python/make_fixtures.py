"""Writes every PyTorch fixture: imports each fixtures_<family>.py beside this file and calls generate(out).

    python make_fixtures.py --out library/src/test/resources/fixtures
"""
import argparse
import importlib
import pathlib
import sys

import torch

HERE = pathlib.Path(__file__).resolve().parent
VERSION_FILE = "torch_version.txt"


def torch_version():
    """The PyTorch release that wrote the fixtures, as major.minor (patch releases do not change numerics)."""
    return ".".join(torch.__version__.split("+")[0].split(".")[:2])


def families():
    return sorted(p.stem for p in HERE.glob("fixtures_*.py"))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True, type=pathlib.Path)
    ap.add_argument("--only", nargs="*", help="family modules to run, e.g. fixtures_tensor")
    args = ap.parse_args()
    sys.path.insert(0, str(HERE))
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(1)
    for name in args.only or families():
        importlib.import_module(name).generate(args.out)
        print(f"{name}: written under {args.out}")
    (args.out / VERSION_FILE).write_text(torch_version() + "\n")


if __name__ == "__main__":
    main()
