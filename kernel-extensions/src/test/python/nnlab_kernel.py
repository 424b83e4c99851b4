"""Shared set-up for the kernel's Python tests: finds or installs the nnlab kernelspec, drives a kernel.

NNLAB_KERNEL_JAR: the shaded kernel jar (default: kernel-extensions/target/nnlab-kernel.jar).
JUPYTER_PATH: a directory whose kernels/nnlab holds the kernelspec; when it is not set, the kernelspec is
installed into a temporary prefix and JUPYTER_PATH is pointed there.
"""
import atexit
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from queue import Empty

HERE = Path(__file__).resolve().parent
JAR = Path(os.environ.get("NNLAB_KERNEL_JAR", HERE.parents[2] / "target" / "nnlab-kernel.jar"))
JDK17 = os.environ.get("NNLAB_JDK17", "/usr/lib/jvm/java-17-openjdk-amd64")
JDK25 = os.environ.get("NNLAB_JDK25", "/usr/lib/jvm/temurin-25-jdk-amd64")
TIMEOUT = 60


def ensure_kernelspec():
    """Makes sure `nnlab` is installed where jupyter_client will look, and returns that directory."""
    for d in filter(None, os.environ.get("JUPYTER_PATH", "").split(os.pathsep)):
        if (Path(d) / "kernels" / "nnlab" / "kernel.json").is_file():
            return Path(d)
    if not JAR.is_file():
        raise RuntimeError(f"kernel jar not found at {JAR}; build it or set NNLAB_KERNEL_JAR")
    prefix = Path(tempfile.mkdtemp(prefix="nnlab-kernelspec-"))
    atexit.register(shutil.rmtree, prefix, True)
    java = shutil.which("java") or str(Path(JDK17) / "bin" / "java")
    subprocess.run([java, "-jar", str(JAR), "install", "--prefix", str(prefix)], check=True,
                   stdout=subprocess.DEVNULL)
    data = prefix / "share" / "jupyter"
    os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(data), os.environ.get("JUPYTER_PATH")]))
    return data


class Kernel:
    """One nnlab kernel behind a real jupyter_client KernelManager and BlockingKernelClient."""

    def __init__(self, kernel_name="nnlab", stderr=None, stdout=None, **env):
        """env: variables for the kernel; stderr, stdout: files for the kernel's (default: this process's)."""
        from jupyter_client import KernelManager
        ensure_kernelspec()
        self.km = KernelManager(kernel_name=kernel_name)
        full_env = dict(os.environ)
        full_env.update(env)
        files = {k: v for k, v in (("stderr", stderr), ("stdout", stdout)) if v is not None}
        self.km.start_kernel(env=full_env, **files)
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=TIMEOUT)

    def pid(self):
        prov = getattr(self.km, "provisioner", None)
        if prov is not None and getattr(prov, "process", None) is not None:
            return prov.process.pid
        return self.km.kernel.pid

    def send(self, code, **kw):
        return self.kc.execute(code, **kw)

    def collect(self, msg_id, timeout=TIMEOUT):
        """Outputs (iopub messages) of a request until it is idle, then its shell reply."""
        outputs = []
        deadline = time.time() + timeout
        while True:
            msg = self.kc.get_iopub_msg(timeout=max(0.1, deadline - time.time()))
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            if msg["msg_type"] == "status":
                if msg["content"]["execution_state"] == "idle":
                    break
                continue
            outputs.append(msg)
        while True:
            reply = self.kc.get_shell_msg(timeout=max(0.1, deadline - time.time()))
            if reply["parent_header"].get("msg_id") == msg_id:
                return reply, outputs

    def run(self, code, timeout=TIMEOUT, **kw):
        return self.collect(self.send(code, **kw), timeout)

    def value(self, code):
        """text/plain of the cell's execute_result; fails the caller on an error."""
        reply, outputs = self.run(code)
        if reply["content"]["status"] != "ok":
            raise AssertionError(f"{code!r} failed: {reply['content'].get('ename')}: "
                                 f"{reply['content'].get('evalue')}")
        results = [o for o in outputs if o["msg_type"] == "execute_result"]
        return results[-1]["content"]["data"]["text/plain"] if results else None

    def stdout(self, outputs):
        return "".join(o["content"]["text"] for o in outputs
                       if o["msg_type"] == "stream" and o["content"]["name"] == "stdout")

    def close(self):
        try:
            self.kc.stop_channels()
        finally:
            self.km.shutdown_kernel(now=True)


def thread_cpu(pid):
    """User + system CPU seconds of each thread of a process, from /proc: {tid: seconds}."""
    out = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):  # the thread ended between the listing and the read
            continue
        out[tid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return out


# The JVM's own threads (JIT compilers, GC), which may be the busiest while a cell's code warms up.
JVM_THREADS = ("C1 CompilerThre", "C2 CompilerThre", "GC Thread", "VM Thread", "VM Periodic")


def hottest_thread(pid, seconds=0.5):
    """The thread other than the JVM's own that used the most CPU over the next few moments, and how much."""
    a = thread_cpu(pid)
    time.sleep(seconds)
    b = thread_cpu(pid)
    return max(((tid, b[tid] - a.get(tid, 0.0)) for tid in b if not thread_name(pid, tid).startswith(JVM_THREADS)),
               key=lambda x: x[1])


def thread_name(pid, tid):
    """The thread's name as Linux keeps it (15 characters), or "" once it has ended."""
    try:
        with open(f"/proc/{pid}/task/{tid}/comm") as f:
            return f.read().strip()
    except (FileNotFoundError, ProcessLookupError):
        return ""


def importable_kernel_test():
    """Makes Debian's jupyter_kernel_test importable without putting all of dist-packages on sys.path.

    0.4.5 wraps the blocking client's get_msg in jupyter_client.utils.run_sync; from jupyter_client 8 on,
    run_sync accepts only coroutine functions, so plain functions are passed through unchanged.
    """
    try:
        import jupyter_kernel_test  # noqa: F401
    except ImportError:
        _copy_kernel_test()
    import inspect
    import jupyter_kernel_test
    original = jupyter_kernel_test.run_sync
    jupyter_kernel_test.run_sync = lambda f: original(f) if inspect.iscoroutinefunction(f) else f


def _copy_kernel_test():
    src = Path("/usr/lib/python3/dist-packages/jupyter_kernel_test")
    if not src.is_dir():
        raise ImportError("jupyter_kernel_test not found: apt-get install python3-jupyter-kernel-test")
    tmp = Path(tempfile.mkdtemp(prefix="nnlab-jkt-"))
    atexit.register(shutil.rmtree, tmp, True)
    shutil.copytree(src, tmp / "jupyter_kernel_test", ignore=shutil.ignore_patterns("__pycache__"))
    sys.path.insert(0, str(tmp))
