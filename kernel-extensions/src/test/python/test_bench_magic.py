"""%bench and %%bench through a real kernel: tables, charts and a progress bar; bad input; interrupt keeps the session."""
import base64
import os
import re
import struct
import time
import unittest

from nnlab_kernel import JDK17, JDK25, Kernel

QUICK = "--min-time 20ms --max-warmup 50ms"


def png_size(b64):
    data = base64.b64decode(b64)
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", data[16:24])


def html_rows(html):
    """The first cell of each body row of the table."""
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r'<tr><td style="text-align:left">([^<]*)</td>', body)


class BenchMagic(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.k = Kernel()
        cls.k.value("int kept = 42;")
        cls.k.value("var a = new Linear(100, 10);\n"
                    "var b = new Sequential(new Linear(100, 50), new ReLU(), new Linear(50, 10));")

    @classmethod
    def tearDownClass(cls):
        cls.k.close()

    def assertState(self):
        self.assertEqual(self.k.value("kept"), "42")

    def result(self, code, timeout=120):
        """The execute_result's data and the progress bar's text/plain lines, first to last."""
        reply, outputs = self.k.run(code, timeout=timeout)
        self.assertEqual(reply["content"]["status"], "ok", reply["content"])
        results = [o for o in outputs if o["msg_type"] == "execute_result"]
        self.assertEqual(len(results), 1, outputs)
        bars = [o for o in outputs if o["msg_type"] in ("display_data", "update_display_data")
                and "nnlab-progress" in o["content"]["data"].get("text/html", "")]
        self.assertEqual(len({o["content"]["transient"]["display_id"] for o in bars}), 1, "one bar, updated in place")
        self.assertEqual(bars[0]["msg_type"], "display_data")
        return results[0]["content"]["data"], [o["content"]["data"]["text/plain"] for o in bars]

    def error(self, code):
        reply, outputs = self.k.run(code)
        self.assertEqual(reply["content"]["status"], "error", reply["content"])
        self.assertEqual(len([o for o in outputs if o["msg_type"] == "error"]), 1)
        return reply["content"]

    def usage_error(self, code, *fragments):
        c = self.error(code)
        self.assertEqual(c["ename"], "UsageError", c)
        for f in fragments:
            self.assertIn(f, c["evalue"])
        self.assertState()
        return c["evalue"]

    def test_containers_give_a_table_a_chart_and_a_progress_line(self):
        data, out = self.result(f"%bench containers --batch 8 --modes fwd,nograd {QUICK}")
        self.assertEqual(set(data), {"text/plain", "text/html", "image/png"})
        html = data["text/html"]
        self.assertEqual(html_rows(html), ["Sequential", "ModuleList", "ModuleDict"])
        heads = re.findall(r"<th>([^<]*)</th>", html)
        self.assertEqual(len(heads), 4)
        self.assertRegex(heads[0], r"^fwd \((ns|µs|ms|s)\)$")
        self.assertEqual(heads[1], "fwd rel")
        self.assertRegex(heads[2], r"^nograd \((ns|µs|ms|s)\)$")
        self.assertEqual(heads[3], "nograd rel")
        self.assertEqual(html.count("<b>1.00x</b>"), 2, "one fastest per column")
        self.assertIn("40,300 parameters", html)
        self.assertIn("30,861 parameters (its forward runs 5,560 of them)", html)
        self.assertEqual(png_size(data["image/png"]), (800, 400))
        self.assertIn("data:image/png;base64,", html)
        self.assertIn("article §3.1 containers, batch 8", data["text/plain"])
        self.assertIn("100%|", out[-1])
        self.assertTrue(any("1/6 Sequential fwd" in line for line in out), out)
        self.assertState()

    def test_spark_without_the_spark_kernel_says_which_kernel_to_start(self):
        self.usage_error(f"%bench containers --spark {QUICK}", "--spark needs Spark on the class path",
                         "start the 'Java (nnlab, Spark)' kernel")
        self.usage_error("%bench a --spark", "give the models' input shape")

    def test_fair_containers_hold_the_same_layers(self):
        data, _ = self.result(f"%bench containers --fair --batch 4 --modes nograd {QUICK}")
        self.assertEqual(html_rows(data["text/html"]), ["Sequential", "ModuleList loop", "ModuleDict loop"])
        self.assertIn("same 8 modules (90,600 parameters", data["text/plain"])

    def test_live_models_are_compared_and_keep_their_gradients(self):
        self.k.value("a.zeroGrad(true);")
        data, _ = self.result(f"%bench a b --input 8,100 --modes fwd,fwdbwd {QUICK}")
        self.assertEqual(html_rows(data["text/html"]), ["a", "b"])
        lines = data["text/plain"].splitlines()
        self.assertRegex(lines[1], r"fwd \(.+\)\s+fwd rel\s+fwdbwd \(.+\)\s+fwdbwd rel")
        self.assertEqual(self.k.value("a.weight.grad() == null"), "true")
        self.assertEqual(self.k.value("b.parameters().stream().allMatch(p -> p.grad() == null)"), "true")
        self.assertState()

    def test_cell_bench_compiles_once_and_counts_every_call(self):
        self.k.value("long[] calls = {0};")
        data, _ = self.result(f"%%bench {QUICK}\ncalls[0]++;")
        text = data["text/plain"]
        self.assertTrue(text.startswith("cell\n  Median: "), text)
        self.assertIn("(median ± IQR) per loop", data["text/html"])
        m = re.search(r"(\d+) runs?, (\d+) loops? per run, \d+ threads?; warm-up [\d.]+ s \((\d+) loops\)", text)
        self.assertIsNotNone(m, text)
        runs, loops, warm = map(int, m.groups())
        # warm-up calls, then PyTorch's block-size search (1, 10, ... loops), then runs x loops
        search = sum(10 ** i for i in range(len(str(loops))))
        self.assertEqual(int(self.k.value("calls[0]")), warm + search + runs * loops)

    def test_cell_bench_runs_its_setup_once(self):
        self.k.value("long[] setups = {0};")
        data, _ = self.result(f'%%bench --setup "setups[0]++; var xin = randn(8, 100);" {QUICK}\na.call(xin)')
        self.assertIn("Median", data["text/plain"])
        self.assertEqual(self.k.value("setups[0]"), "1")
        self.assertEqual(self.k.value("xin.shape()[0]"), "8")

    def test_bad_input_names_the_problem_and_the_usage(self):
        self.usage_error("%bench noSuchModel --input 8,100", "'noSuchModel' is not defined", "Usage: %bench")
        self.usage_error("%bench kept --input 8,100", "'kept' is a Integer, not a Module")
        self.usage_error("%bench a --input 8,x", "--input must be a shape of positive sizes such as 64,100, got '8,x'")
        self.usage_error("%bench a --inptu 8,100", "unknown option --inptu")
        self.usage_error("%bench a", "give the models' input shape")
        self.usage_error("%bench", "nothing to time")
        self.usage_error("%bench a --input 8,100 --modes fwd,back", "unknown benchmark mode 'back'")
        self.usage_error("%bench containers --input 8,100", "containers take a --batch")
        self.usage_error("%bench containers a --batch 8", "'containers' is a benchmark of its own")
        self.usage_error("%bench a a --input 8,100", "model 'a' is already in the benchmark")
        self.usage_error("%bench a --input 8,50 " + QUICK,
                         "a (fwd) failed on input [8, 50]: mat1 and mat2 shapes cannot be multiplied (8x50 and 100x10)")
        self.k.value("class Boom extends Module {\n"
                     "    @Override public Tensor forward(Tensor x) { throw new IllegalStateException(\"boom\"); }\n"
                     "}\nvar boom = new Boom();")
        self.usage_error("%bench a boom --input 8,100 " + QUICK, "boom (fwd) failed on input [8, 100]: boom")
        self.usage_error("%%bench --min-time 0s\na.call(randn(8, 100));", "%%bench:", "--min-time must be a positive")
        self.usage_error("%%bench\n   ", "the cell has no code to time")
        c = self.error("%%bench\nint q = nope + 1;")
        self.assertEqual(c["ename"], "CompileError")
        self.assertState()

    def test_help(self):
        reply, outputs = self.k.run("%bench --help")
        self.assertEqual(reply["content"]["status"], "ok")
        out = self.k.stdout(outputs)
        self.assertIn("%bench [MODEL...] [--input SHAPE]", out)
        reply, outputs = self.k.run("%%bench --help\nMath.sqrt(2);")
        self.assertEqual(reply["content"]["status"], "ok")
        self.assertIn("%%bench [--setup CODE]", self.k.stdout(outputs))
        reply, outputs = self.k.run("%help bench")
        out = self.k.stdout(outputs)
        self.assertIn("--fair", out)
        self.assertIn("%%bench [--setup CODE]", out)


class BenchInterrupt(unittest.TestCase):
    """An interrupt during %bench or %%bench stops it, on JDK 17 and JDK 25, and the session keeps its state."""

    def wait_for_progress(self, k, msg_id, timeout=60):
        deadline = time.time() + timeout
        while time.time() < deadline:
            msg = k.kc.get_iopub_msg(timeout=max(0.1, deadline - time.time()))
            text = msg["content"].get("data", {}).get("text/plain", "")
            if (msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "update_display_data"
                    and ("warming up" in text or "measuring" in text)):
                return
        self.fail("no progress line from the benchmark")

    def check(self, jdk):
        if not os.path.isdir(jdk):
            self.skipTest(f"no JDK at {jdk}")
        k = Kernel(NNLAB_JAVA=jdk)
        try:
            k.value("int kept = 7;")
            k.value("class Counting extends Module {\n"
                    "    long n;\n"
                    "    @Override public Tensor forward(Tensor x) { n++; return x; }\n"
                    "}\nvar counting = new Counting(); long[] calls = {0};")
            for code, counter in [("%bench counting --input 2,2 --modes fwd --min-time 60s", "counting.n"),
                                  ("%%bench --min-time 60s\ncalls[0]++;", "calls[0]")]:
                with self.subTest(jdk=jdk, code=code):
                    msg_id = k.send(code)
                    self.wait_for_progress(k, msg_id)
                    time.sleep(1.0)
                    t0 = time.time()
                    k.km.interrupt_kernel()
                    reply, _ = k.collect(msg_id, timeout=30)
                    self.assertLess(time.time() - t0, 10.0)
                    self.assertEqual(reply["content"]["status"], "error")
                    self.assertEqual(reply["content"]["ename"], "Interrupted")
                    first = int(k.value(counter))
                    self.assertGreater(first, 0)
                    time.sleep(1.0)
                    self.assertEqual(int(k.value(counter)), first, "the benchmark still runs")
                    self.assertEqual(k.value("kept"), "7")
        finally:
            k.close()

    def test_jdk17(self):
        self.check(JDK17)

    def test_jdk25(self):
        self.check(JDK25)


if __name__ == "__main__":
    unittest.main()
