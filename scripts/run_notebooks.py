"""Execute notebooks headless with nbclient and report pass/fail per notebook.

Each notebook runs in its own directory with a fresh kernel; a cell that raises (or times out) fails
the notebook. The last line is `notebooks: N passed, M failed`, which `./nnlab test` counts; the exit
status is 1 when any notebook failed.

    python scripts/run_notebooks.py [--kernel nnlab] [--timeout SECONDS] [--out DIR] NOTEBOOK...
"""
import argparse
import os
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError


def first_lines(text, n=12):
    lines = str(text).strip().splitlines()
    return "\n".join(lines[:n] + (["    ..."] if len(lines) > n else []))


def run(path, kernel, timeout, out_dir):
    nb = nbformat.read(path, as_version=4)
    # a notebook that asks for a variant of the kernel (nnlab-spark) gets it
    own = nb.metadata.get("kernelspec", {}).get("name", "")
    client = NotebookClient(nb, kernel_name=own if own.startswith(kernel + "-") else kernel, timeout=timeout, startup_timeout=120,
                            resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}})
    error = None
    try:
        client.execute()
    except CellTimeoutError as e:
        error = f"a cell ran longer than {timeout}s: {first_lines(e)}"
    except CellExecutionError as e:
        error = first_lines(e)
    except DeadKernelError as e:
        error = f"the kernel died: {e}"
    except Exception as e:  # kernel failed to start, bad notebook file, ...
        error = f"{type(e).__name__}: {first_lines(e)}"
    finally:
        if out_dir:
            os.makedirs(out_dir, exist_ok=True)
            nbformat.write(nb, os.path.join(out_dir, os.path.basename(path)))
    return error


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("notebooks", nargs="+")
    ap.add_argument("--kernel", default="nnlab", help="kernelspec name (default: nnlab)")
    ap.add_argument("--timeout", type=int, default=300, help="seconds per cell (default: 300)")
    ap.add_argument("--out", help="write the executed notebooks here")
    args = ap.parse_args()

    passed = failed = 0
    for path in args.notebooks:
        name = os.path.basename(path)
        t0 = time.monotonic()
        print(f"RUN  {name}", flush=True)
        error = run(path, args.kernel, args.timeout, args.out)
        took = time.monotonic() - t0
        if error is None:
            passed += 1
            print(f"PASS {name} ({took:.1f}s)", flush=True)
        else:
            failed += 1
            print(f"FAIL {name} ({took:.1f}s)\n{error}", flush=True)
    print(f"notebooks: {passed} passed, {failed} failed", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
