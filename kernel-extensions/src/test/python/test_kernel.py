"""Kernel behaviour through a real jupyter_client: failures never kill the kernel nor lose state."""
import os
import re
import signal
import subprocess
import tempfile
import time
import unittest
from pathlib import Path

from jupyter_client.session import Session

from nnlab_kernel import JAR, JDK17, JDK25, Kernel, hottest_thread, thread_cpu, thread_name


class KernelSurvives(unittest.TestCase):
    """One kernel (small heap, so that OutOfMemoryError comes quickly) for the failure cases."""

    @classmethod
    def setUpClass(cls):
        cls.k = Kernel(NNLAB_JVM_OPTS="-Xmx256m")
        cls.first, _ = cls.k.run("int kept = 42;")

    @classmethod
    def tearDownClass(cls):
        cls.k.close()

    def assertState(self):
        self.assertEqual(self.k.value("kept"), "42")

    def error(self, code, timeout=60):
        reply, outputs = self.k.run(code, timeout=timeout)
        self.assertEqual(reply["content"]["status"], "error", reply["content"])
        errors = [o for o in outputs if o["msg_type"] == "error"]
        self.assertEqual(len(errors), 1)
        return reply["content"]

    def test_start_up_and_expressions_leave_no_trace(self):
        """The start-up warm-up and the carrier of expression values: no count, no history, no variable."""
        self.assertEqual(self.first["content"]["status"], "ok")
        self.assertEqual(self.first["content"]["execution_count"], 1)
        self.assertEqual(self.k.value("6 * 7"), "42")
        msg_id = self.k.kc.history(hist_access_type="tail", n=1000)
        while True:
            reply = self.k.kc.get_shell_msg(timeout=60)
            if reply["parent_header"].get("msg_id") == msg_id:
                break
        history = reply["content"]["history"]
        self.assertEqual(min(h[1] for h in history), 1, history[:3])
        self.assertEqual([h[2] for h in history if h[1] == 1], ["int kept = 42;"])
        for name in ["$nnlab", "$nnlab1", "$nnlab2", "$warm", "$r1", "$1"]:
            with self.subTest(name=name):
                self.assertEqual(self.error("{ Object o = " + name + "; }")["ename"], "CompileError")
        self.assertState()

    def test_compile_error_shows_message_and_span(self):
        c = self.error("int a = 1;\nint b = nope + 1;")
        self.assertEqual(c["ename"], "CompileError")
        self.assertIn("cannot find symbol", c["evalue"])
        tb = "\n".join(c["traceback"])
        self.assertIn("line 2: int b = nope + 1;", tb)
        self.assertIn("^^^^", tb)
        self.assertState()
        self.assertEqual(self.k.value("a"), "1")

    def test_runtime_exception_has_class_message_and_cell_frames(self):
        self.k.value("int div(int x) { return 10 / x; }")
        c = self.error("div(0)")
        self.assertEqual(c["ename"], "ArithmeticException")
        self.assertEqual(c["evalue"], "/ by zero")
        tb = "\n".join(c["traceback"])
        self.assertIn("java.lang.ArithmeticException", tb)
        self.assertIn("div (cell[", tb)
        c = self.error("int q = 1;\nint r = 2;\nint boom = div(0);")
        self.assertRegex("\n".join(c["traceback"]), r"at cell\[\d+\], line 3")
        self.assertNotIn("jdk.jshell", tb)
        self.assertNotIn("jdk.internal.reflect", tb)
        self.assertEqual(self.k.value("div(5)"), "2")
        self.assertState()

    def test_stack_overflow(self):
        self.k.value("int deep(int n) { return deep(n + 1) + 1; }")
        self.assertEqual(self.error("deep(0)")["ename"], "StackOverflowError")
        self.assertState()

    def test_out_of_memory(self):
        c = self.error("{ var hog = new ArrayList<long[]>(); while (true) hog.add(new long[1_000_000]); }")
        self.assertEqual(c["ename"], "OutOfMemoryError")
        self.assertEqual(self.error("new long[Integer.MAX_VALUE - 8]")["ename"], "OutOfMemoryError")
        self.assertEqual(self.k.value("new long[1_000_000].length"), "1000000")
        self.assertState()

    def test_system_exit_is_an_error(self):
        for code in ["System.exit(3)", "Runtime.getRuntime().exit(4);",
                     "try { System.exit(5); } catch (Exception e) { }"]:
            with self.subTest(code=code):
                c = self.error(code)
                self.assertEqual(c["ename"], "SystemExit")
                self.assertIn("System.exit(", c["evalue"])
        self.assertTrue(self.k.km.is_alive())
        self.assertState()

    def test_ten_megabytes_of_output(self):
        reply, outputs = self.k.run('System.out.print("x".repeat(10_000_000));', timeout=120)
        self.assertEqual(reply["content"]["status"], "ok")
        self.assertEqual(len(self.k.stdout(outputs)), 10_000_000)
        self.assertState()

    def test_output_streams_while_the_cell_runs(self):
        msg_id = self.k.send('System.out.println("first"); Thread.sleep(1500); System.out.println("last");')
        first = None
        while first is None:
            msg = self.k.kc.get_iopub_msg(timeout=30)
            if msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "stream":
                first = time.time()
                self.assertEqual(msg["content"]["text"], "first\n")
        reply, _ = self.k.collect(msg_id)
        self.assertGreater(time.time() - first, 1.0, "stdout arrived only at the end of the cell")

    def test_wrong_signature_is_dropped_not_executed(self):
        s = self.k.kc.session
        for key in [b"not-the-key", b""]:
            bad = Session(key=key, session=s.session, username=s.username)
            msg = bad.msg("execute_request", {"code": "int hacked = 1;", "silent": False,
                                              "store_history": True, "user_expressions": {},
                                              "allow_stdin": False, "stop_on_error": True})
            bad.send(self.k.kc.shell_channel.socket, msg)
        c = self.error("hacked")
        self.assertEqual(c["ename"], "CompileError")
        self.assertState()

    def test_unknown_magic_and_bad_arguments_name_the_magic(self):
        c = self.error("%nosuchmagic 1 2")
        self.assertEqual(c["ename"], "UsageError")
        self.assertIn("%nosuchmagic", c["evalue"])
        c = self.error("%maven")
        self.assertIn("%maven", c["evalue"])
        self.assertIn("Usage: %maven", c["evalue"])
        self.assertState()

    def test_help_prints_a_magics_usage(self):
        reply, outputs = self.k.run("%help time")
        self.assertEqual(reply["content"]["status"], "ok", reply["content"])
        self.assertIn("%time STATEMENT_OR_EXPRESSION", self.k.stdout(outputs))
        reply, outputs = self.k.run("%help %lsmagic")
        self.assertIn("%lsmagic", self.k.stdout(outputs))
        reply, outputs = self.k.run("%help --help")
        self.assertIn("%help NAME", self.k.stdout(outputs))
        c = self.error("%help nosuchmagic")
        self.assertIn("no magic %nosuchmagic", c["evalue"])
        self.assertIn("Usage: %help NAME", c["evalue"])
        reply, outputs = self.k.run("%lsmagic")
        self.assertIn("%help", self.k.stdout(outputs))
        self.assertState()

    def test_stdin_reads_what_the_user_types(self):
        msg_id = self.k.send("new Scanner(System.in).nextLine().toUpperCase()", allow_stdin=True)
        request = self.k.kc.get_stdin_msg(timeout=30)
        self.assertEqual(request["msg_type"], "input_request")
        self.k.kc.input("typed")
        reply, outputs = self.k.collect(msg_id)
        self.assertEqual([o["content"]["data"]["text/plain"] for o in outputs
                          if o["msg_type"] == "execute_result"], ["TYPED"])
        reply, _ = self.k.run("System.in.read()", allow_stdin=False)
        self.assertIn("stdin is not available", reply["content"]["evalue"])
        reply, _ = self.k.run("new Scanner(System.in).nextLine()", allow_stdin=False)
        self.assertEqual(reply["content"]["status"], "error")
        msg_id = self.k.send("new Scanner(System.in).nextLine()", allow_stdin=True)
        self.assertEqual(self.k.kc.get_stdin_msg(timeout=30)["msg_type"], "input_request")
        self.k.km.interrupt_kernel()
        self.assertEqual(self.k.collect(msg_id, timeout=10)[0]["content"]["status"], "error")
        self.assertState()

    def test_cells_queued_behind_an_error_are_aborted(self):
        first = self.k.send('throw new IllegalStateException("stop here");')
        second = self.k.send("int neverRun = 1;")
        self.assertEqual(self.k.collect(first)[0]["content"]["status"], "error")
        self.assertEqual(self.k.collect(second)[0]["content"]["status"], "aborted")
        self.assertEqual(self.error("neverRun")["ename"], "CompileError")
        self.assertState()

    def test_display_and_update_display(self):
        reply, outputs = self.k.run('String id = display("step 1");\nupdateDisplay(id, "step 2");')
        self.assertEqual(reply["content"]["status"], "ok")
        shown = [o for o in outputs if o["msg_type"] != "execute_input"]
        kinds = [(o["msg_type"], o["content"]["data"]["text/plain"]) for o in shown]
        self.assertEqual(kinds, [("display_data", "step 1"), ("update_display_data", "step 2")])
        self.assertEqual(len({o["content"]["transient"]["display_id"] for o in shown}), 1)
        reply, outputs = self.k.run('display("only this")')
        self.assertEqual([o["msg_type"] for o in outputs if o["msg_type"] != "execute_input"], ["display_data"])

    def test_kernel_magics(self):
        import tempfile
        with tempfile.TemporaryDirectory() as d:
            script = os.path.join(d, "setup.jsh")
            with open(script, "w") as f:
                f.write("int loaded = 11;\n%lsmagic\nloaded * 2\n")
            reply, outputs = self.k.run(f"%load {script}")
            self.assertEqual(reply["content"]["status"], "ok", reply["content"])
            self.assertIn("%maven", self.k.stdout(outputs))
            self.assertEqual([o["content"]["data"]["text/plain"] for o in outputs
                              if o["msg_type"] == "execute_result"], ["22"])
            self.assertIn("no such file", self.error(f"%load {d}/missing.jsh")["evalue"])
            self.assertIn("no file or directory matches", self.error(f"%classpath {d}/*.jar")["evalue"])
        reply, outputs = self.k.run("%%time\nint timed = 3;\ntimed + 1")
        self.assertRegex(self.k.stdout(outputs), r"Wall time: [\d.]+ (µs|ms|s)")
        self.assertEqual(self.k.value("%time timed * 2"), "6")
        reply, outputs = self.k.run("%doc Math.max")
        self.assertIn("max(", reply["content"]["payload"][0]["data"]["text/plain"])
        self.assertState()

    def test_live_model_state_with_the_library(self):
        """A module subclass, training and hooks across cells: nnlab's imports (Module means ours) and live objects."""
        self.k.value("class Net extends Module {\n"
                     "    final Linear fc = registerModule(\"fc\", new Linear(4, 2));\n"
                     "    @Override public Tensor forward(Tensor x) { return fc.call(x).relu(); }\n"
                     "}")
        self.k.value("var net = new Net(); var seen = new ArrayList<String>();")
        self.k.value("var layers = List.of(new Dropout(0.5), new Softmax(1), new Embedding(3, 2), new Timer(() -> {}));")
        self.k.value("net.fc.registerForwardHook((m, in, out) -> { seen.add(Arrays.toString(((Tensor) out).shape())); return null; });")
        self.k.value("net.call(randn(3, 4)).sum().backward();")
        reply, outputs = self.k.run("System.out.println(seen);\n"
                                    "System.out.println(Arrays.toString(net.fc.weight.grad().shape()));\n"
                                    "System.out.println(net.numParameters());\n"
                                    "System.out.print(net);")
        self.assertEqual(reply["content"]["status"], "ok", reply["content"])
        self.assertEqual(self.k.stdout(outputs),
                         "[[3, 2]]\n[2, 4]\n10\nNet(\n  (fc): Linear(in_features=4, out_features=2, bias=True)\n)")
        self.assertState()

    def test_maven_adds_an_artifact_from_central(self):
        reply, outputs = self.k.run("%maven org.apache.commons:commons-lang3:3.14.0", timeout=180)
        self.assertEqual(reply["content"]["status"], "ok", reply["content"])
        self.assertIn("commons-lang3-3.14.0.jar", self.k.stdout(outputs))
        self.assertEqual(self.k.value('org.apache.commons.lang3.StringUtils.capitalize("nnlab")'), "Nnlab")
        self.assertState()


class Environment(unittest.TestCase):
    """NNLAB_CLASSPATH and NNLAB_STARTUP_SCRIPT reach the session; %classpath adds more later."""

    def test_classpath_and_startup_script(self):
        import shutil
        import subprocess
        import tempfile
        javac = shutil.which("javac") or os.path.join(JDK17, "bin", "javac")
        with tempfile.TemporaryDirectory() as d:
            for name, body in [("Hello", 'public String hi() { return "hello"; }'),
                               ("Later", "public int n() { return 8; }")]:
                src = os.path.join(d, name + ".java")
                with open(src, "w") as f:
                    f.write(f"package demo; public class {name} {{ {body} }}")
                subprocess.run([javac, "--release", "17", "-d", os.path.join(d, name.lower()), src], check=True)
            k = Kernel(NNLAB_CLASSPATH=os.path.join(d, "hello"), NNLAB_STARTUP_SCRIPT="int fromStartup = 9;")
            try:
                self.assertEqual(k.value("new demo.Hello().hi()"), "hello")
                self.assertEqual(k.value("fromStartup"), "9")
                self.assertEqual(k.value(f"%classpath {d}/later\nnew demo.Later().n()"), "8")
                self.assertIn(os.path.join(d, "later"), k.stdout(k.run("%classpath")[1]))
            finally:
                k.close()


def thread_named(pid, name):
    """CPU seconds of the process's thread with this name (Linux keeps 15 characters of it), or None."""
    for tid, cpu in thread_cpu(pid).items():
        if thread_name(pid, tid) == name[:15]:
            return cpu
    return None


class IdleWarmUp(unittest.TestCase):
    """An idle kernel warms javac on a JShell of its own (by default), which leaves no trace and stops at the
    first cell."""

    def test_warm_up_leaves_no_trace_and_stops_at_the_first_cell(self):
        k = Kernel()
        try:
            # send the first cell once the warm-up has visibly started, well before it could have ended
            deadline = time.time() + 60
            cpu = thread_named(k.pid(), "nnlab-warm-up")
            while (cpu is None or cpu < 0.3) and time.time() < deadline:
                time.sleep(0.05)
                cpu = thread_named(k.pid(), "nnlab-warm-up")
            self.assertIsNotNone(cpu, "no warm-up thread in an idle kernel")
            reply, outputs = k.run("int kept = 42;")
            at_reply = thread_named(k.pid(), "nnlab-warm-up")
            self.assertEqual(reply["content"]["status"], "ok")
            self.assertEqual(reply["content"]["execution_count"], 1)
            self.assertEqual([o["msg_type"] for o in outputs], ["execute_input"])
            # stopped after the snippet in hand: the thread ends having used little more CPU than at the reply
            deadline = time.time() + 60
            used = now = at_reply
            while now is not None and time.time() < deadline:
                used = now
                time.sleep(0.1)
                now = thread_named(k.pid(), "nnlab-warm-up")
            self.assertIsNone(now, "the warm-up thread still runs after a cell")
            if at_reply is not None:
                self.assertLess(used - at_reply, 1.0, "the warm-up went on after the cell")
            msg_id = k.kc.history(hist_access_type="tail", n=1000)
            while True:
                r = k.kc.get_shell_msg(timeout=60)
                if r["parent_header"].get("msg_id") == msg_id:
                    break
            self.assertEqual([list(h[1:]) for h in r["content"]["history"]], [[1, "int kept = 42;"]])
            for code in ["{ Object o = x; }", "{ Object o = s; }", "{ Object o = d; }", "{ Object o = m; }",
                         "{ Object o = $nnlab1; }", "f(1)", "new P()"]:
                with self.subTest(code=code):
                    r, _ = k.run(code)
                    self.assertEqual(r["content"]["ename"], "CompileError")
            self.assertEqual(k.value("kept"), "42")
        finally:
            k.close()

    def test_a_finished_warm_up_gives_the_heap_back(self):
        """After the warm-up's collections the serial collector's old generation holds little free space, and the
        heap's free-ratio bounds are back at the JVM's defaults, so that the heap can grow again."""
        k = Kernel()
        try:
            deadline = time.time() + 120
            while thread_named(k.pid(), "nnlab-warm-up") is None and time.time() < deadline:
                time.sleep(0.05)
            while thread_named(k.pid(), "nnlab-warm-up") is not None and time.time() < deadline:
                time.sleep(0.1)
            self.assertLess(time.time(), deadline, "the warm-up did not end in 120 s")
            bean = "java.lang.management.ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class)"
            self.assertEqual(k.value(f'{bean}.getVMOption("MinHeapFreeRatio").getValue()'), '40')
            self.assertEqual(k.value(f'{bean}.getVMOption("MaxHeapFreeRatio").getValue()'), '70')
            # the pool's usage after its last collection gives the size before that collection's resize; its
            # committed size now gives the size after it (the old generation grows only when objects are promoted)
            pool = ("java.lang.management.ManagementFactory.getMemoryPoolMXBeans().stream()"
                    ".filter(p -> p.getName().equals(\"Tenured Gen\")).findFirst().get()")
            after_gc = k.value(f"{pool}.getCollectionUsage().toString() + \" now \" + {pool}.getUsage()")
            used = int(re.search(r"used = (\d+)", after_gc).group(1))
            committed = int(re.search(r"now .*committed = (\d+)", after_gc).group(1))
            self.assertLess(committed, 1.18 * used, after_gc)
        finally:
            k.close()


SCHED_OTHER, SCHED_IDLE = 0, 5  # Linux's scheduling policies, as /proc/PID/stat gives them


def compiler_scheduling(pid, compiler):
    """(policy, nice) of each of the process's JIT compiler threads of this kind ("C1" or "C2")."""
    out = []
    for tid in thread_cpu(pid):
        if thread_name(pid, tid).startswith(compiler + " CompilerThre"):
            with open(f"/proc/{pid}/task/{tid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            out.append((int(fields[38]), int(fields[16])))
    return out


def may_raise_priority():
    """What the kernel, started by this process, may do: leave SCHED_IDLE again (CAP_SYS_NICE or RLIMIT_NICE >= 20)."""
    with open("/proc/self/status") as f:
        caps = int(next(l for l in f if l.startswith("CapEff:")).split()[1], 16)
    with open("/proc/self/limits") as f:
        soft = next(l for l in f if l.startswith("Max nice priority")).split()[3]
    return bool(caps >> 23 & 1) or soft == "unlimited" or int(soft) >= 20


class CompilerPriority(unittest.TestCase):
    """Until 30 cells have run, or one has run for a second, the C2 threads are in the idle scheduling class (the
    cells' javac tasks get the cores), where the kernel may leave it again; then they are back in the normal one.
    C1 is left alone; -Dnnlab.c2Nice=false turns it off."""
    IDLE, NORMAL = [(SCHED_IDLE, 0)], [(SCHED_OTHER, 0)]

    def kernel(self, **env):
        """A kernel whose C2 scheduling the kernel itself changes; the test is skipped where it may not."""
        if not may_raise_priority():
            self.skipTest("this user may not leave the idle class again, so the kernel leaves C2's scheduling alone")
        return Kernel(**env)

    def c2_until(self, k, wanted, seconds=10):
        deadline = time.time() + seconds
        now = compiler_scheduling(k.pid(), "C2")
        while now != wanted and time.time() < deadline:
            time.sleep(0.05)
            now = compiler_scheduling(k.pid(), "C2")
        return now

    def test_c2_waits_for_the_first_30_cells(self):
        k = self.kernel(NNLAB_JVM_OPTS="-Dnnlab.warmUp=false")  # with the warm-up, C2 gets its priority back there
        try:
            self.assertEqual(self.c2_until(k, self.IDLE), self.IDLE)
            self.assertEqual(compiler_scheduling(k.pid(), "C1"), self.NORMAL)
            t0 = time.time()
            self.assertEqual(k.value("1 + 1"), "2")
            if time.time() - t0 < 0.9:  # a first cell slower than the kernel's second gives C2 its priority back
                self.assertEqual(compiler_scheduling(k.pid(), "C2"), self.IDLE, "C2 left the idle class after one cell")
            for i in range(2, 31):
                self.assertEqual(k.value(f"{i} + 1"), str(i + 1))
            self.assertEqual(self.c2_until(k, self.NORMAL), self.NORMAL)
        finally:
            k.close()

    def test_a_long_cell_gives_c2_its_priority_back(self):
        k = self.kernel(NNLAB_JVM_OPTS="-Dnnlab.warmUp=false")
        try:
            self.assertEqual(self.c2_until(k, self.IDLE), self.IDLE)
            self.assertIsNone(k.value("Thread.sleep(2500);"))
            self.assertEqual(self.c2_until(k, self.NORMAL), self.NORMAL)
        finally:
            k.close()

    def test_the_warm_up_gives_c2_its_priority_back(self):
        k = self.kernel()
        try:
            self.assertEqual(self.c2_until(k, self.NORMAL, seconds=60), self.NORMAL)
            self.assertIsNotNone(thread_named(k.pid(), "nnlab-warm-up"), "C2 got its priority back before the warm-up")
        finally:
            k.close()

    def test_off_by_property(self):
        k = Kernel(NNLAB_JVM_OPTS="-Dnnlab.warmUp=false -Dnnlab.c2Nice=false")
        try:
            time.sleep(1.0)
            self.assertEqual(compiler_scheduling(k.pid(), "C2"), self.NORMAL)
        finally:
            k.close()


class ClassDataArchive(unittest.TestCase):
    """The kernelspec installed with a JDK opens the class-data archive made for it: nearly every class of the first
    cells comes from it, on JDK 17 and JDK 25, and the JVM prints nothing about it."""

    def check(self, jdk):
        java = Path(jdk) / "bin" / "java"
        if not java.is_file():
            self.skipTest(f"no JDK at {jdk}")
        with tempfile.TemporaryDirectory() as tmp:
            name = "nnlab-cds-test"
            subprocess.run([str(java), "-jar", str(JAR), "install", "--prefix", tmp, "--java", str(java),
                            "--name", name], check=True, stdout=subprocess.DEVNULL)
            self.assertTrue((Path(tmp) / "share/jupyter/kernels" / name / "nnlab.jsa").is_file())
            classes = Path(tmp) / "classes.txt"
            paths = os.environ.get("JUPYTER_PATH")
            os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(Path(tmp) / "share/jupyter"), paths]))
            try:
                with tempfile.TemporaryFile() as out:
                    k = Kernel(name, stdout=out, stderr=out, NNLAB_JVM_OPTS=f"-Xlog:class+load:file={classes}")
                    try:
                        for cell in ["1 + 1", "int x = 2;", "x * 3", "Tensor.randn(2, 3).sum()"]:
                            k.value(cell)  # fails the test on an error
                    finally:
                        k.close()
                    out.seek(0)
                    printed = out.read().decode(errors="replace")
            finally:
                if paths is None:
                    del os.environ["JUPYTER_PATH"]
                else:
                    os.environ["JUPYTER_PATH"] = paths
            loaded = [line for line in classes.read_text().splitlines() if "source:" in line]
            shared = [line for line in loaded if "shared objects file" in line]
            self.assertGreater(len(shared), 0.95 * len(loaded), f"{len(shared)} of {len(loaded)} from the archive")
            self.assertNotIn("[error]", printed)
            self.assertNotIn("[cds]", printed)

    def test_jdk17(self):
        self.check(JDK17)

    def test_jdk25(self):
        self.check(JDK25)


class CompileThresholds(unittest.TestCase):
    """The JIT waits five times longer than HotSpot's default before it compiles, except for the library, the Vector
    API and cell code."""

    def test_the_kernel_runs_with_them(self):
        k = Kernel()
        try:
            self.assertEqual(k.value('((com.sun.management.HotSpotDiagnosticMXBean) java.lang.management'
                                     '.ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean'
                                     '.class)).getVMOption("CompileThresholdScaling").getValue()'), '5.0')
            args = k.value('String.join(" ", java.lang.management.ManagementFactory.getRuntimeMXBean()'
                           '.getInputArguments())')
            for package in ["dev/nnlab", "jdk/incubator/vector", "REPL"]:
                self.assertIn(f"-XX:CompileCommand=CompileThresholdScaling,{package}/*.*,0.2", args)
        finally:
            k.close()


class Interrupt(unittest.TestCase):
    """`while (true) {}` stops within a second, by message and by SIGINT, on JDK 17 and JDK 25."""

    def check(self, jdk):
        if not os.path.isdir(jdk):
            self.skipTest(f"no JDK at {jdk}")
        k = Kernel(NNLAB_JAVA=jdk)
        try:
            k.value("int kept = 7;")
            for how in ["message", "signal"]:
                with self.subTest(jdk=jdk, how=how):
                    msg_id = k.send("while (true) {}")
                    # the loop runs once its thread is seen busy; on a loaded machine that may take a while
                    deadline = time.time() + 20
                    loop, used = hottest_thread(k.pid())
                    while used < 0.1 and time.time() < deadline:
                        loop, used = hottest_thread(k.pid())
                    self.assertGreaterEqual(used, 0.1, "the loop does not seem to run")
                    if how == "message":
                        k.km.interrupt_kernel()
                    else:
                        os.kill(k.pid(), signal.SIGINT)
                    reply, _ = k.collect(msg_id, timeout=10)
                    self.assertEqual(reply["content"]["status"], "error")
                    self.assertEqual(reply["content"]["ename"], "Interrupted")
                    before = thread_cpu(k.pid()).get(loop)
                    time.sleep(1.0)
                    after = thread_cpu(k.pid()).get(loop)
                    self.assertTrue(after is None or after - before < 0.1, "the loop still burns a core")
                    self.assertEqual(k.value("kept"), "7")
        finally:
            k.close()

    def test_jdk17(self):
        self.check(JDK17)

    def test_jdk25(self):
        self.check(JDK25)


class NativeAccess(unittest.TestCase):
    """JDK 22+ prints a warning on stderr when a library in the class path loads native code, as the BLAS binding
    does, unless native access is enabled; the kernel jar's manifest enables it."""

    def test_native_blas_loads_without_a_warning_on_jdk25(self):
        if not os.path.isdir(JDK25):
            self.skipTest(f"no JDK at {JDK25}")
        with tempfile.TemporaryFile() as log:
            k = Kernel(stderr=log, NNLAB_JAVA=JDK25)
            try:
                backend = k.value("Tensor.randn(64, 64).mm(Tensor.randn(64, 64)); Tensor.blasBackend()")
            finally:
                k.close()
            log.seek(0)
            text = log.read().decode(errors="replace")
        if "JNIBLAS" not in backend:
            self.skipTest(f"no native BLAS here ({backend}): nothing loads native code")
        self.assertNotIn("restricted method", text)
        self.assertNotIn("enable-native-access", text)


if __name__ == "__main__":
    unittest.main()
