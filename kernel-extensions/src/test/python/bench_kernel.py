"""Kernel responsiveness benchmark, through a real jupyter_client (used by `./nnlab bench --kernel`).

For each JDK (17 and 25 by default) the kernelspec is installed with that JDK, class-data archive included,
and the table of issue 10 is measured, every cell a new expression (`1 + 1`, `2 + 1`, ...):
  cold start          process start to kernel_info_reply (median of --starts launches)
  first 1 + 1         the first cell's round trip right after kernel_info_reply (or --idle seconds after it), median
                      over the kernels of the cold starts and the measured kernel; the line below the table gives
                      each, and each kernel's start to kernel_info_reply plus that round trip: with the cell at once
                      that sum is steady, and the first cell is shorter when the kernel_info_reply came later
  launch to result    jupyter_client.start_new_kernel plus one `1 + 1` cell, to its execute_reply
  first 30 cells      p50 round trip of cells 1-30 after start (the first cell included)
  100 warm cells      p50 round trip of 100 cells after those 30 and --warmup more
  CPU per cell        kernel process CPU (user + system, every thread, JIT and GC included, from /proc)
                      over the 100 warm cells, per cell; a line below the table splits it by thread
  memory              kernel RSS after the first cell
  with definitions    p50 round trip of 50 more cells once the session holds --defs definitions (variables,
                      methods, classes, as a notebook makes them): JShell compiles every cell with one import
                      per active definition, so a cell costs more as the session grows. No target: a fact to know
  declared again      p50 round trip of 50 cells that each declare the same variable again (`int lr = i;`, a cell
                      run again), in that session: JShell compiles such a snippet twice, the second time under a
                      new class name, since the kernel's JVM cannot redefine the first in place
The machine's load average is printed with it: on a shared machine the figures are inflated. A benchmark,
not a test: nothing is asserted. NNLAB_KERNEL_JAR: the kernel jar; NNLAB_JDK17 / NNLAB_JDK25: the JDKs.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from jupyter_client import KernelManager
from jupyter_client.manager import start_new_kernel

from nnlab_kernel import JAR, JDK17, JDK25, thread_cpu, thread_name


def expressions():
    """`1 + 1`, `2 + 1`, ...: every cell a new expression, as in a notebook (JShell treats a cell it has seen before
    differently: its class is already loaded, so nothing is loaded or redefined)."""
    i = 0
    while True:
        i += 1
        yield f"{i} + 1"


NEW_EXPRESSION = expressions()
ROWS = [
    ("cold", "cold start to kernel_info_reply", "s", "<= 0.5 s"),
    ("first", "first `1 + 1` after start-up", "ms", "<= 300 ms"),
    ("launch", "start_new_kernel + first cell: launch to first result", "s", "<= 1.2 s"),
    ("first30", "`i + 1` p50 over the first 30 cells", "ms", "<= 15 ms"),
    ("warm100", "warm `i + 1` p50 over 100 cells", "ms", "<= 10 ms"),
    ("cpu", "kernel CPU per warm `i + 1`", "ms", "<= 15 ms"),
    ("rss", "memory (RSS) after the first cell", "MiB", "<= 200 MiB"),
    ("defs", "warm `i + 1` p50 with 100 definitions in the session", "ms", "-"),
    ("again", "`int lr = i;` declared again, p50, in that session", "ms", "-"),
]


def definition(i):
    """The i-th of a notebook's definitions: a variable, a method or a class, in turn."""
    return (f"int v{i} = {i};", f"int m{i}(int a) {{ return a + {i}; }}", f"class C{i} {{ int q = {i}; }}")[i % 3]


def install(jdk, prefix):
    """Installs the kernelspec with this JDK's java (so the class-data archive is this JDK's) and points
    JUPYTER_PATH at it, ahead of any other nnlab kernelspec."""
    java = str(Path(jdk) / "bin" / "java")
    subprocess.run([java, "-jar", str(JAR), "install", "--prefix", str(prefix), "--java", java], check=True,
                   stdout=subprocess.DEVNULL)
    os.environ["JUPYTER_PATH"] = str(prefix / "share" / "jupyter")


def pid_of(km):
    prov = getattr(km, "provisioner", None)
    if prov is not None and getattr(prov, "process", None) is not None:
        return prov.process.pid
    return km.kernel.pid


# Where a warm cell's CPU goes: the kernel's threads by the name Linux keeps (15 characters), in groups.
THREAD_GROUPS = (("cell (nnlab-shell)", ("nnlab-shell",)), ("JIT C2", ("C2 CompilerThre",)),
                 ("JIT C1", ("C1 CompilerThre",)), ("ZeroMQ I/O", ("iothread-", "reaper-")),
                 ("iopub sender", ("nnlab-iopub",)), ("GC and VM", ("GC Thread", "VM Thread", "VM Periodic",
                                                                   "Sweeper thread", "Service Thread")))


def cpu_by_group(pid):
    """CPU seconds of the kernel's live threads, summed per THREAD_GROUPS entry (the rest under "other")."""
    out = {}
    for tid, seconds in thread_cpu(pid).items():
        name = thread_name(pid, tid)
        group = next((g for g, prefixes in THREAD_GROUPS if name.startswith(prefixes)), "other")
        out[group] = out.get(group, 0.0) + seconds
    return out


def cpu_seconds(pid):
    """User + system CPU of the whole process (all threads, also the ones that ended), from /proc."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def reply_to(kc, msg_id):
    while True:
        reply = kc.get_shell_msg(timeout=120)
        if reply["parent_header"].get("msg_id") == msg_id:
            return reply


def round_trip(kc, code=None):
    code = next(NEW_EXPRESSION) if code is None else code
    t0 = time.perf_counter()
    reply = reply_to(kc, kc.execute(code))
    elapsed = time.perf_counter() - t0
    if reply["content"]["status"] != "ok":
        raise RuntimeError(f"{code!r} failed: {reply['content']}")
    return elapsed


def cold_start():
    km = KernelManager(kernel_name="nnlab")
    t0 = time.perf_counter()
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    reply_to(kc, kc.kernel_info())
    return time.perf_counter() - t0, km, kc


def close(km, kc):
    kc.stop_channels()
    km.shutdown_kernel(now=True)


def launch_to_result():
    """As a notebook front end does it: start_new_kernel (which waits for kernel_info), then one cell."""
    t0 = time.perf_counter()
    km, kc = start_new_kernel(kernel_name="nnlab", startup_timeout=120)
    try:
        round_trip(kc)
        return time.perf_counter() - t0
    finally:
        close(km, kc)


def measure(jdk, a):
    with tempfile.TemporaryDirectory(prefix="nnlab-bench-kernel-") as tmp:
        install(jdk, Path(tmp))
        out = {"load_before": os.getloadavg()}
        colds, firsts = [], []
        for _ in range(a.starts):
            elapsed, km, kc = cold_start()
            colds.append(elapsed)
            try:
                time.sleep(a.idle)
                firsts.append(round_trip(kc))
            finally:
                close(km, kc)
        out["cold"] = statistics.median(colds)
        out["cold_all"] = list(colds)
        launches = [launch_to_result() for _ in range(a.launches)]
        out["launch"] = statistics.median(launches)
        out["launch_all"] = launches

        elapsed, km, kc = cold_start()
        try:
            pid = pid_of(km)
            time.sleep(a.idle)
            first = round_trip(kc)
            colds.append(elapsed)  # this kernel's start, for the sums only
            firsts.append(first)
            out["first"] = statistics.median(firsts) * 1e3
            out["first_all"] = [f * 1e3 for f in firsts]
            out["start_to_first"] = [c + f for c, f in zip(colds, firsts)]
            out["rss"] = rss_mib(pid)
            first30 = [first] + [round_trip(kc) for _ in range(29)]
            out["first30"] = statistics.median(first30) * 1e3
            for _ in range(a.warmup):
                round_trip(kc)
            cpu0, groups0 = cpu_seconds(pid), cpu_by_group(pid)
            warm = [round_trip(kc) for _ in range(a.runs)]
            out["cpu"] = (cpu_seconds(pid) - cpu0) / a.runs * 1e3
            groups = cpu_by_group(pid)
            out["cpu_by_thread"] = {g: (groups[g] - groups0.get(g, 0.0)) / a.runs * 1e3 for g in groups}
            # threads that ended in the window count in the process total only
            out["cpu_by_thread"]["other"] = out["cpu"] - sum(v for g, v in out["cpu_by_thread"].items()
                                                             if g != "other")
            out["warm100"] = statistics.median(warm) * 1e3
            out["warm_p90"] = sorted(warm)[int(0.9 * (len(warm) - 1))] * 1e3
            out["rss_end"] = rss_mib(pid)
            for i in range(a.defs):
                round_trip(kc, definition(i))
            for _ in range(20):
                round_trip(kc)
            out["defs"] = statistics.median(round_trip(kc) for _ in range(50)) * 1e3
            round_trip(kc, "int lr = 0;")
            out["again"] = statistics.median(round_trip(kc, f"int lr = {i};") for i in range(1, 51)) * 1e3
        finally:
            close(km, kc)
        out["load_after"] = os.getloadavg()
        return out


def fmt(unit, v):
    if v is None:
        return "-"
    return f"{v:.2f} {unit}" if unit == "s" else f"{v:.1f} {unit}" if unit == "ms" else f"{v:.0f} {unit}"


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--jdk", action="append", help="a JDK home to measure (repeatable; default: 17 and 25)")
    p.add_argument("--starts", type=int, default=3, help="cold starts per JDK (median)")
    p.add_argument("--launches", type=int, default=3, help="start_new_kernel + first cell runs per JDK (median)")
    p.add_argument("--warmup", type=int, default=20, help="cells between the first 30 and the 100 measured")
    p.add_argument("--runs", type=int, default=100, help="warm cells measured")
    p.add_argument("--idle", type=float, default=0, help="seconds the measured kernel waits after kernel_info "
                   "before its first cell, as a user reading the notebook (default 0: the cell comes at once)")
    p.add_argument("--defs", type=int, default=100, help="definitions in the session for the last row")
    p.add_argument("--json", help="also write the figures to this file")
    a = p.parse_args(argv)
    if not JAR.is_file():
        print(f"kernel jar not found at {JAR}; build it or set NNLAB_KERNEL_JAR", file=sys.stderr)
        return 2
    jdks = a.jdk or [j for j in (JDK17, JDK25) if (Path(j) / "bin" / "java").is_file()]
    results = {}
    for jdk in jdks:
        name = Path(jdk).name
        print(f"measuring {name} ...", file=sys.stderr, flush=True)
        results[name] = measure(jdk, a)

    names = list(results)
    print(f"| measure | {' | '.join(names)} | target |")
    print(f"|---|{'---|' * len(names)}---|")
    for key, label, unit, target in ROWS:
        label = label.replace("100", str(a.runs)) if key == "warm100" else label
        label = label.replace("100", str(a.defs)) if key == "defs" else label
        print(f"| {label} | {' | '.join(fmt(unit, results[n].get(key)) for n in names)} | {target} |")
    for n in names:
        r = results[n]
        print(f"{n}: first cells {', '.join(f'{c:.0f}' for c in r['first_all'])} ms, start to kernel_info_reply "
              f"plus that cell {', '.join(f'{c:.2f}' for c in r['start_to_first'])} s")
        print(f"{n}: cold starts {', '.join(f'{c:.2f}' for c in r['cold_all'])} s; launches "
              f"{', '.join(f'{c:.2f}' for c in r['launch_all'])} s; warm p90 {r['warm_p90']:.1f} ms; "
              f"RSS after {a.runs + a.warmup + 30} cells {r['rss_end']:.0f} MiB; load average "
              f"{' '.join(f'{x:.2f}' for x in r['load_before'])} before, "
              f"{' '.join(f'{x:.2f}' for x in r['load_after'])} after")
    for n in names:
        split = sorted(results[n]["cpu_by_thread"].items(), key=lambda kv: -kv[1])
        print(f"{n}: CPU per warm cell by thread: " + ", ".join(f"{g} {v:.1f}" for g, v in split) + " ms "
              f"(/proc ticks of {1000 / os.sysconf('SC_CLK_TCK'):.0f} ms over {a.runs} cells)")
    if a.idle:
        print(f"the kernel of the first/30/{a.runs}-cell/CPU/RSS rows idled {a.idle:g} s after kernel_info_reply")
    print(f"load average now: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs "
          f"(a shared machine inflates every figure)")
    if a.json:
        Path(a.json).write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
