"""Tests of the ./nnlab launcher itself: usage, exit codes, the JDK message, install-kernel, bench.

Run by `./nnlab test`, or alone: python -m unittest discover -s scripts -p test_launcher.py -v
"""
import json
import os
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NNLAB = os.path.join(ROOT, "nnlab")
KERNEL_JAR = os.path.join(ROOT, "kernel-extensions", "target", "nnlab-kernel.jar")


def run(*args, env=None, cwd=None, timeout=600):
    return subprocess.run([NNLAB, *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=timeout)


def bin_without_java(tmp):
    """A directory of links to every command in /usr/bin and /bin except the JDK's."""
    bindir = os.path.join(tmp, "bin")
    os.makedirs(bindir)
    for d in ("/usr/bin", "/bin"):
        for name in sorted(os.listdir(d)):
            src = os.path.join(d, name)
            dst = os.path.join(bindir, name)
            real = os.path.realpath(src)
            if os.path.exists(dst) or "/jvm/" in real or name in ("java", "javac", "jshell", "jar"):
                continue
            os.symlink(src, dst)
    return bindir


class UsageTest(unittest.TestCase):
    def test_unknown_command_prints_usage_and_exits_2(self):
        r = run("frobnicate")
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("unknown command 'frobnicate'", r.stderr)
        self.assertIn("usage: ./nnlab", r.stderr)

    def test_no_command_prints_usage_and_exits_2(self):
        r = run()
        self.assertEqual(r.returncode, 2)
        self.assertIn("usage: ./nnlab", r.stderr)

    def test_help_exits_0(self):
        for flag in ("--help", "-h", "help"):
            with self.subTest(flag=flag):
                r = run(flag)
                self.assertEqual(r.returncode, 0, r.stderr)
                self.assertIn("usage: ./nnlab", r.stdout)
                for cmd in ("notebook", "test", "jshell", "install-kernel", "bench"):
                    self.assertIn(cmd, r.stdout)

    def test_runs_from_any_directory(self):
        r = run("--help", cwd="/")
        self.assertEqual(r.returncode, 0, r.stderr)


class JdkMessageTest(unittest.TestCase):
    def env(self, path):
        env = {k: v for k, v in os.environ.items() if k != "JAVA_HOME"}
        env["PATH"] = path
        return env

    def assert_one_line_jdk_message(self, r):
        self.assertNotEqual(r.returncode, 0)
        lines = r.stderr.strip().splitlines()
        self.assertEqual(len(lines), 1, r.stderr)
        self.assertIn("JDK", lines[0])
        self.assertIn("openjdk-17-jdk", lines[0])

    def test_missing_java_gives_one_line_message(self):
        with tempfile.TemporaryDirectory() as tmp:
            env = self.env(bin_without_java(tmp))
            for cmd in ("test", "jshell", "install-kernel", "notebook"):
                with self.subTest(cmd=cmd):
                    self.assert_one_line_jdk_message(run(cmd, env=env))
                    self.assertIn("'java' was not found", run(cmd, env=env).stderr)

    def test_old_java_gives_one_line_message(self):
        with tempfile.TemporaryDirectory() as tmp:
            bindir = bin_without_java(tmp)
            with open(os.path.join(bindir, "java"), "w") as f:
                f.write('#!/bin/sh\necho \'java version "1.8.0_392"\' >&2\n')
            os.chmod(os.path.join(bindir, "java"), 0o755)
            r = run("jshell", env=self.env(bindir))
            self.assert_one_line_jdk_message(r)
            self.assertIn("1.8.0_392", r.stderr)

    def test_bad_java_home_gives_one_line_message(self):
        env = dict(os.environ, JAVA_HOME="/nonexistent/jdk")
        r = run("jshell", env=env)
        self.assert_one_line_jdk_message(r)
        self.assertIn("JAVA_HOME", r.stderr)


class InstallKernelTest(unittest.TestCase):
    def test_install_kernel_prefix_writes_kernelspec(self):
        with tempfile.TemporaryDirectory() as tmp:
            prefix = os.path.join(tmp, "prefix")
            r = run("install-kernel", "--prefix", prefix)
            if r.returncode != 0 and not os.path.exists(KERNEL_JAR):
                reason = "the kernel jar can't be built yet: " + (r.stderr.strip().splitlines() or ["?"])[-1]
                print("skipped:", reason)
                self.skipTest(reason)
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
            spec = os.path.join(prefix, "share", "jupyter", "kernels", "nnlab", "kernel.json")
            self.assertTrue(os.path.isfile(spec), f"{spec} missing; output:\n{r.stdout}{r.stderr}")
            with open(spec) as f:
                kernel = json.load(f)
            self.assertIn("{connection_file}", kernel["argv"])
            self.assertEqual(kernel.get("language", "").lower(), "java")

    def test_install_kernel_rejects_unknown_option(self):
        r = run("install-kernel", "--frobnicate")
        self.assertEqual(r.returncode, 2)
        self.assertIn("usage: ./nnlab", r.stderr)


class BenchTest(unittest.TestCase):
    def test_bench_times_pytorch_before_and_after_each_row(self):
        """The real PyTorch of this venv, served row by row: each row's torch figure is the mean of its two
        timings and its ratio is nnlab's time over that mean (the figures themselves are not asserted)."""
        try:
            import torch  # noqa: F401
        except ImportError:
            self.skipTest("no torch in " + sys.prefix)
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "bench.json")
            env = dict(os.environ, NNLAB_VENV=sys.prefix)
            r = run("bench", "--only", "ModuleDict", "--min-time", "0.05", "--json", out, env=env)
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
            self.assertIn("timed just before and just after each nnlab row", r.stdout)
            with open(out) as f:
                rows = json.load(f)["rows"]
            self.assertEqual([(x["name"], x["mode"]) for x in rows],
                             [("ModuleDict", "fwd"), ("ModuleDict", "nograd"), ("ModuleDict", "fwdbwd")])
            for x in rows:
                before, after = x["torch_before_us"], x["torch_after_us"]
                self.assertGreater(before, 0, x)
                self.assertGreater(after, 0, x)
                self.assertAlmostEqual(x["torch_us"], (before + after) / 2, delta=0.01, msg=str(x))
                self.assertAlmostEqual(x["ratio"], x["nnlab_us"] / x["torch_us"], delta=1e-3, msg=str(x))

    def test_openblas_runs_the_kernels_the_cpu_allows(self):
        """OpenBLAS's own choice (asked here with OPENBLAS_CORETYPE unset): Prescott on a CPU with AVX-512 or AVX2
        means it does not know the CPU, and the launcher names SkylakeX or Haswell, which OpenBLAS then runs;
        otherwise, or when the user set OPENBLAS_CORETYPE, the launcher leaves it alone."""
        env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_CORETYPE"}
        ask = ("import ctypes\nf = ctypes.CDLL('libblas.so.3').openblas_get_corename\n"
               "f.restype = ctypes.c_char_p\nprint(f().decode())")
        core = subprocess.run(["/usr/bin/python3", "-c", ask], capture_output=True, text=True, env=env)
        if core.returncode != 0:
            self.skipTest("no OpenBLAS as libblas.so.3: " + core.stderr.strip()[-200:])
        with open("/proc/cpuinfo") as f:
            flags = next(line for line in f if line.startswith("flags")).split()
        expected = None
        if core.stdout.strip() == "Prescott":
            expected = "SkylakeX" if "avx512f" in flags else "Haswell" if "avx2" in flags else None
        tmp = tempfile.TemporaryDirectory()
        self.addCleanup(tmp.cleanup)
        empty = os.path.join(tmp.name, "venv")
        os.makedirs(os.path.join(empty, "bin"))
        r = run("bench", "--only", "ModuleDict/none", env=dict(env, NNLAB_VENV=empty))
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        said = "would run its Prescott kernels: OPENBLAS_CORETYPE="
        if expected is None:
            self.assertNotIn(said, r.stderr)
        else:
            self.assertIn(said + expected, r.stderr)
            forced = subprocess.run(["/usr/bin/python3", "-c", ask], capture_output=True, text=True,
                                    env=dict(env, OPENBLAS_CORETYPE=expected))
            self.assertEqual(forced.stdout.strip(), expected)
        r = run("bench", "--only", "ModuleDict/none", env=dict(env, NNLAB_VENV=empty, OPENBLAS_CORETYPE="Haswell"))
        self.assertNotIn(said, r.stderr)

    def test_bench_without_torch_shows_nnlab_alone(self):
        with tempfile.TemporaryDirectory() as tmp:
            venv = os.path.join(tmp, "venv")
            os.makedirs(os.path.join(venv, "bin"))
            r = run("bench", "--only", "ModuleDict/none", env=dict(os.environ, NNLAB_VENV=venv))
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
            self.assertIn("showing nnlab alone", r.stdout + r.stderr)


if __name__ == "__main__":
    unittest.main()
