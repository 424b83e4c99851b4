"""The "Java (nnlab, Spark)" kernel through a real jupyter_client, on a real local-cluster of two executor JVMs:
classes defined in cells run on executors, redefinitions are seen, cell variables read remotely are refused,
and an interrupt cancels the job and keeps the session."""
import os
import sys
import time
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[4] / "kernel-extensions" / "src" / "test" / "python"))
from nnlab_kernel import JDK25, Kernel  # noqa: E402

START = 240


class SparkKernel(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.k = Kernel(kernel_name="nnlab-spark")
        reply, outputs = cls.k.run('var cluster = Cluster.start("local-cluster[2,1,1024]");', timeout=START)
        if reply["content"]["status"] != "ok":
            cls.k.close()
            raise AssertionError(f"the cluster did not start: {reply['content']}")

    @classmethod
    def tearDownClass(cls):
        try:
            cls.k.run("cluster.close();", timeout=60)
        finally:
            cls.k.close()

    def ok(self, code, timeout=180):
        reply, outputs = self.k.run(code, timeout=timeout)
        self.assertEqual(reply["content"]["status"], "ok", reply["content"])
        results = [o for o in outputs if o["msg_type"] == "execute_result"]
        return results[-1]["content"]["data"]["text/plain"] if results else None

    def error(self, code, timeout=180):
        reply, outputs = self.k.run(code, timeout=timeout)
        self.assertEqual(reply["content"]["status"], "error", reply["content"])
        return reply["content"]

    def assert_no_active_job(self, why):
        """Waits up to 20 s in the kernel for the cluster's jobs to end, then checks that none is active."""
        self.ok("long end = System.nanoTime() + 20_000_000_000L;\n"
                "while (cluster.context().statusTracker().getActiveJobIds().length > 0 && System.nanoTime() < end) "
                "Thread.sleep(100);")
        self.assertEqual(self.ok("cluster.context().statusTracker().getActiveJobIds().length"), "0", why)

    def test_1_cell_classes_run_on_executors_and_redefinitions_are_seen(self):
        self.ok("record Sq(int v) implements java.io.Serializable { double sq() { return v * v; } }")
        self.ok('var configs = List.of(Config.of("v", 3), Config.of("v", 4));')
        self.ok('var r1 = Sweep.run(cluster, configs, c -> Map.of("sq", new Sq(c.getInt("v")).sq()));')
        self.assertEqual(self.ok('r1.table().doubleColumn("sq").asList()'), "[9.0, 16.0]")
        self.assertNotIn("driver", self.ok('r1.table().stringColumn("executor").asList()'))
        self.ok("record Sq(int v) implements java.io.Serializable { double sq() { return v * v * v; } }")
        self.ok('var r2 = Sweep.run(cluster, configs, c -> Map.of("sq", new Sq(c.getInt("v")).sq()));')
        self.assertEqual(self.ok('r2.table().doubleColumn("sq").asList()'), "[27.0, 64.0]")

    def test_2_a_cell_defined_model_trains_data_parallel_to_the_single_process_weights(self):
        self.ok("""
class Net extends Module {
    final Linear a = registerModule("a", new Linear(6, 12));
    final Linear b = registerModule("b", new Linear(12, 1));
    public Tensor forward(Tensor x) { return b.call(a.call(x).tanh()); }
}""")
        self.ok("manualSeed(5); var x = randn(32, 6); var y = x.narrow(1, 0, 1).mul(3.0);")
        self.ok("DataParallel job() { return DataParallel.of(() -> new Net()).loss((o, t) -> F.mseLoss(o, t))"
                ".optimizer(ps -> SGD.builder(ps).lr(0.05).build()).workers(2).steps(15); }")
        self.ok("manualSeed(9); var dp = job().fit(cluster, x, y); manualSeed(9); var one = job().workers(1).fitHere(x, y);")
        diff = float(self.ok("dp.model().stateDict().get(\"a.weight\").sub(one.model().stateDict().get(\"a.weight\"))"
                             ".abs().max().item()"))
        self.assertLess(diff, 2e-5)
        self.assertLess(float(self.ok("dp.losses()[14]")), float(self.ok("dp.losses()[0]")))

    def test_3_a_cell_variable_read_on_executors_is_refused_before_the_job(self):
        self.ok("double lr = 0.5;")
        c = self.error('Sweep.run(cluster, List.of(Config.of("a", 1)), c -> Map.of("lr", lr))')
        self.assertIn("reads the top-level cell variable lr", c["evalue"])
        self.assertIn("Config value", c["evalue"])
        # the documented fix: the value travels as a captured parameter
        self.ok('Trial trial(double rate) { return c -> Map.of("lr", rate); }')
        self.assertEqual(self.ok('Sweep.run(cluster, List.of(Config.of("a", 1)), trial(lr)).table()'
                                 '.doubleColumn("lr").get(0)'), "0.5")

    def test_4_an_interrupt_cancels_the_job_and_keeps_the_session(self):
        self.ok("int kept = 42;")
        msg = self.k.send('Sweep.run(cluster, List.of(Config.of("i", 1), Config.of("i", 2)), '
                          'c -> { Thread.sleep(60_000); return Map.of("x", 1.0); })')
        time.sleep(5)  # the job is scheduled and its tasks sleep
        t0 = time.time()
        self.k.km.interrupt_kernel()
        reply, outputs = self.k.collect(msg, timeout=60)
        self.assertEqual(reply["content"]["status"], "error", reply["content"])
        self.assertLess(time.time() - t0, 30)
        self.assertEqual(self.ok("kept"), "42")
        self.assert_no_active_job("the interrupted cell's job is cancelled")
        self.assertEqual(self.ok('Sweep.run(cluster, List.of(Config.of("i", 1)), c -> Map.of("x", 2.0)).table()'
                                 '.doubleColumn("x").get(0)'), "2.0")

    def test_5_bench_runs_its_cells_as_tasks_on_the_executors(self):
        quick = "--min-time 20ms --max-warmup 50ms"
        reply, outputs = self.k.run(f"%bench containers --batch 8 --modes fwd,nograd --spark {quick}", timeout=180)
        self.assertEqual(reply["content"]["status"], "ok", reply["content"])
        data = [o for o in outputs if o["msg_type"] == "execute_result"][-1]["content"]["data"]
        self.assertEqual(set(data), {"text/plain", "text/html", "image/png"}, "the Compare's table and chart")
        text = data["text/plain"]
        self.assertIn("article §3.1 containers, batch 8", text)
        for row in ("Sequential", "ModuleList", "ModuleDict"):
            self.assertIn(row, text)
        self.assertIn("Timed on Spark (local-cluster[2,1,1024]): one task per model and mode, 6 tasks on executor", text)
        bars = [o for o in outputs if o["msg_type"] in ("display_data", "update_display_data")
                and "nnlab-progress" in o["content"]["data"].get("text/html", "")]
        self.assertTrue(bars and "6/6" in bars[-1]["content"]["data"]["text/plain"], bars)

        # models defined in a cell, built on the executors from the expressions given
        self.ok("""
class Wide extends Module {
    final Linear l;
    Wide(int n) { l = registerModule("l", new Linear(32, n)); }
    public Tensor forward(Tensor x) { return l.call(x).relu(); }
}""")
        reply, outputs = self.k.run(f'%bench "new Wide(64)" "new Wide(4)" --input 16,32 --modes fwd --spark {quick}',
                                    timeout=180)
        self.assertEqual(reply["content"]["status"], "ok", reply["content"])
        text = [o for o in outputs if o["msg_type"] == "execute_result"][-1]["content"]["data"]["text/plain"]
        self.assertIn("new Wide(64) vs new Wide(4), input 16x32", text)
        self.assertIn("2 tasks on executor", text)

        # a session variable is null on the executors: refused before the job, with the fix
        self.ok("var w = new Wide(8);")
        c = self.error(f"%bench w --input 16,32 --spark {quick}")
        self.assertEqual(c["ename"], "UsageError", c)
        self.assertIn("the benchmark reads the top-level cell variable w", c["evalue"])
        self.assertIn('%bench "new Net(32)" --input 64,32 --spark', c["evalue"])

    def test_6_an_interrupt_of_bench_spark_cancels_its_job(self):
        self.ok("int held = 7;")
        msg = self.k.send('%bench "new Linear(4, 2)" --input 2,4 --modes fwd --min-time 120s --spark')
        time.sleep(8)  # the job is scheduled and its task times for two minutes
        t0 = time.time()
        self.k.km.interrupt_kernel()
        reply, outputs = self.k.collect(msg, timeout=60)
        self.assertEqual(reply["content"]["status"], "error", reply["content"])
        self.assertEqual(reply["content"]["ename"], "Interrupted", reply["content"])
        self.assertTrue(any("benchmark on local-cluster[2,1,1024], 1 trials" in o["content"]["data"].get("text/plain", "")
                            for o in outputs if o["msg_type"] == "display_data"), "the benchmark's job had started")
        self.assertLess(time.time() - t0, 30)
        self.assertEqual(self.ok("held"), "7")
        self.assert_no_active_job("the interrupted benchmark's job is cancelled")


class SparkKernelOnJdk25(unittest.TestCase):
    """JDK 25 stops cells by instrumentation, not Thread.stop: a cell waiting on a Spark job is still stopped."""

    def test_an_interrupt_cancels_the_job(self):
        if not os.path.isdir(JDK25):
            self.skipTest(f"no JDK at {JDK25}")
        k = Kernel(kernel_name="nnlab-spark", NNLAB_JAVA=JDK25)
        try:
            reply, _ = k.run('var cluster = Cluster.start("local[2]"); int kept = 7;', timeout=START)
            self.assertEqual(reply["content"]["status"], "ok", reply["content"])
            msg = k.send('Sweep.run(cluster, List.of(Config.of("i", 1)), c -> { Thread.sleep(60_000); return Map.of(); })')
            time.sleep(5)
            t0 = time.time()
            k.km.interrupt_kernel()
            reply, _ = k.collect(msg, timeout=60)
            self.assertEqual(reply["content"]["status"], "error", reply["content"])
            self.assertLess(time.time() - t0, 30)
            k.value("long end = System.nanoTime() + 20_000_000_000L;\n"
                    "while (cluster.context().statusTracker().getActiveJobIds().length > 0 && System.nanoTime() < end) "
                    "Thread.sleep(100);")
            self.assertEqual(k.value("cluster.context().statusTracker().getActiveJobIds().length"), "0")
            self.assertEqual(k.value("kept"), "7")
            k.value("cluster.close();")
        finally:
            k.close()


if __name__ == "__main__":
    unittest.main()
