"""Kernel start-up and round-trip benchmark, through jupyter_client (used by `./nnlab bench --kernel`).

Prints the cold start (process start to kernel_info_reply, median of --starts runs) and the warm `1 + 1`
execute round trip (request sent to execute_reply received, p50 and p90 of --runs after --warmup).
Targets: cold <= 1.0 s, warm p50 <= 15 ms. Environment: as for the tests (NNLAB_KERNEL_JAR, JUPYTER_PATH);
NNLAB_JAVA and NNLAB_JVM_OPTS reach the kernel.
"""
import argparse
import os
import statistics
import sys
import time

from jupyter_client import KernelManager

from nnlab_kernel import ensure_kernelspec, thread_cpu


def cold_start(kernel):
    km = KernelManager(kernel_name=kernel)
    t0 = time.perf_counter()
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    msg_id = kc.kernel_info()
    while True:
        reply = kc.get_shell_msg(timeout=60)
        if reply["parent_header"].get("msg_id") == msg_id:
            break
    elapsed = time.perf_counter() - t0
    return elapsed, km, kc


def round_trip(kc, code):
    t0 = time.perf_counter()
    msg_id = kc.execute(code)
    while True:
        reply = kc.get_shell_msg(timeout=60)
        if reply["parent_header"].get("msg_id") == msg_id:
            break
    elapsed = time.perf_counter() - t0
    if reply["content"]["status"] != "ok":
        raise RuntimeError(f"{code!r} failed: {reply['content']}")
    return elapsed


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--kernel", default="nnlab")
    p.add_argument("--starts", type=int, default=5)
    p.add_argument("--warmup", type=int, default=20)
    p.add_argument("--runs", type=int, default=100)
    a = p.parse_args(argv)
    if a.kernel == "nnlab":
        ensure_kernelspec()

    colds = []
    for i in range(a.starts):
        elapsed, km, kc = cold_start(a.kernel)
        colds.append(elapsed)
        if i < a.starts - 1:
            kc.stop_channels()
            km.shutdown_kernel(now=True)
    try:
        kc.wait_for_ready(timeout=60)
        first = round_trip(kc, "1 + 1")
        for _ in range(a.warmup):
            round_trip(kc, "1 + 1")
        pid = km.provisioner.process.pid if getattr(km, "provisioner", None) else km.kernel.pid
        cpu0 = sum(thread_cpu(pid).values())
        warm = sorted(round_trip(kc, "1 + 1") for _ in range(a.runs))
        cpu = (sum(thread_cpu(pid).values()) - cpu0) / a.runs
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)

    p50 = statistics.median(warm) * 1e3
    p90 = warm[int(0.9 * (len(warm) - 1))] * 1e3
    print(f"kernel {a.kernel}")
    print(f"cold start to kernel_info_reply: {statistics.median(colds):.3f} s "
          f"(median of {len(colds)}: {', '.join(f'{c:.3f}' for c in colds)})  target <= 1.0 s")
    print(f"first 1 + 1 after start-up: {first * 1e3:.1f} ms")
    print(f"warm 1 + 1 round trip: p50 {p50:.1f} ms, p90 {p90:.1f} ms ({a.runs} runs)  target p50 <= 15 ms")
    print(f"kernel CPU per warm 1 + 1: {cpu * 1e3:.1f} ms (all kernel threads, JIT and GC included)")
    print(f"load average: {', '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
