"""Rich display, progress bars, %summary and %seed through a real kernel and client.

Expected texts come from PyTorch (repr of the same tensor or module) or from arithmetic in the test.
"""
import base64
import re
import struct
import unittest

from display_facts import load
from nnlab_kernel import Kernel

FACTS = load()


def png_size(b64):
    """Width and height from a PNG's IHDR chunk."""
    raw = base64.b64decode(b64)
    assert raw[:8] == b"\x89PNG\r\n\x1a\n", raw[:8]
    return struct.unpack(">II", raw[16:24])


class Display(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.k = Kernel()
        cls.k.value("int kept = 42;")

    @classmethod
    def tearDownClass(cls):
        cls.k.close()

    def result(self, code):
        reply, outputs = self.k.run(code)
        self.assertEqual(reply["content"]["status"], "ok", reply["content"])
        results = [o for o in outputs if o["msg_type"] == "execute_result"]
        self.assertEqual(len(results), 1, outputs)
        return results[0]["content"]["data"]

    def error(self, code):
        reply, outputs = self.k.run(code)
        self.assertEqual(reply["content"]["status"], "error", reply["content"])
        self.assertEqual(self.k.value("kept"), "42")
        return reply["content"]["evalue"]

    def test_tensor_has_pytorch_repr_and_html(self):
        data = self.result("tensor(new float[][] {{1, 2}, {3, 4}})")
        self.assertEqual(data["text/plain"], FACTS["tensor_repr"])
        html = data["text/html"]
        self.assertIn("tensor [2, 2] · torch.float32 · requires_grad=False", html)
        self.assertEqual(html.count("<td"), 4)
        self.assertIn(">4.0000</td>", html)
        grad_fn = FACTS["mul_grad_fn"]
        html = self.result("var w = randn(3).requiresGrad_();\nw.mul(2)")["text/html"]
        self.assertIn(f"grad_fn=&lt;{grad_fn}&gt;", html)

    def test_big_tensor_html_is_summarised(self):
        data = self.result("zeros(1000, 1000)")
        self.assertLess(len(data["text/html"]), 20_000)
        self.assertIn("tensor [1000, 1000]", data["text/html"])

    def test_module_has_repr_and_tree_with_counts(self):
        data = self.result("new Sequential(new Linear(100, 200), new ReLU(), new Linear(200, 100))")
        self.assertEqual(data["text/plain"], FACTS["sequential_repr"])
        html = data["text/html"]
        first, second = 100 * 200 + 200, 200 * 100 + 100
        self.assertIn(f"{first:,} params", html)
        self.assertIn(f"{second:,} params", html)
        self.assertIn(f"Total params: {first + second:,}", html)
        self.assertEqual(FACTS["sequential_params"], first + second)
        self.assertIn("<details", html)

    def test_chart_is_png_of_its_size_and_svg_on_request(self):
        self.k.value("var chart = new org.knowm.xchart.XYChartBuilder().width(321).height(234).title(\"t\").build();\n"
                     "chart.addSeries(\"a\", new double[] {0, 1, 2}, new double[] {1, 4, 9});")
        reply, outputs = self.k.run("chart")
        result = [o for o in outputs if o["msg_type"] == "execute_result"][0]["content"]
        self.assertEqual(png_size(result["data"]["image/png"]), (321, 234))
        self.assertEqual(result["metadata"]["image/png"], {"width": 321, "height": 234})
        reply, outputs = self.k.run('display(chart, "image/svg+xml");')
        self.assertEqual(reply["content"]["status"], "ok", reply["content"])
        shown = [o for o in outputs if o["msg_type"] == "display_data"]
        self.assertEqual(len(shown), 1)
        self.assertIn("<svg", shown[0]["content"]["data"]["image/svg+xml"])
        self.assertNotIn("image/png", shown[0]["content"]["data"])

    def test_arrays_and_everyday_values_read_like_jshell(self):
        self.assertEqual(self.k.value("new int[] {2, 100}"), "int[2] { 2, 100 }")
        self.assertEqual(self.k.value("zeros(64, 100).shape()"), "int[2] { 64, 100 }")
        self.assertEqual(self.k.value("new String[][] {{\"a\"}, {}}"), 'String[2][] { String[1] { "a" }, String[0] {  } }')
        self.assertEqual(self.k.value("List.of(new int[] {1})"), "[int[1] { 1 }]")
        self.assertEqual(self.k.value("record P(int x, double[] v) { }\nnew P(1, new double[] {0.5})"),
                         "P[x=1, v=double[1] { 0.5 }]")
        long_text = self.k.value('"x".repeat(1_000_000)')
        self.assertLess(len(long_text), 25_000)
        self.assertIn("1,000,000 characters", long_text)

    def test_table_has_html(self):
        data = self.result("tech.tablesaw.api.Table.create(\"t\", tech.tablesaw.api.IntColumn.create(\"n\", "
                           "java.util.stream.IntStream.range(0, 500).toArray()))")
        self.assertIn("<th>n</th>", data["text/html"])
        self.assertIn("500 rows × 1 columns", data["text/html"])
        self.assertIn("more rows", data["text/html"])

    def test_progress_updates_one_display(self):
        reply, outputs = self.k.run('for (var i : Progress.over(List.of(1, 2, 3, 4), "epoch 1")) { Thread.sleep(150); }')
        self.assertEqual(reply["content"]["status"], "ok", reply["content"])
        shown = [o for o in outputs if o["msg_type"] in ("display_data", "update_display_data")]
        self.assertGreaterEqual(len(shown), 2, outputs)
        self.assertEqual(shown[0]["msg_type"], "display_data")
        self.assertTrue(all(o["msg_type"] == "update_display_data" for o in shown[1:]))
        self.assertEqual(len({o["content"]["transient"]["display_id"] for o in shown}), 1)
        self.assertLessEqual(len(shown), 2 + 4)
        last = shown[-1]["content"]["data"]
        self.assertTrue(last["text/plain"].startswith("epoch 1: 100%|██████████| 4/4 ["), last["text/plain"])
        self.assertIn("width:100.0%", last["text/html"])

    def test_summary_happy_path(self):
        self.k.value("var net = new Sequential(new Linear(100, 200), new ReLU(), new Linear(200, 100));")
        data = self.result("%summary net --input 64,100")
        text = data["text/plain"]
        params = 100 * 200 + 200 + 200 * 100 + 100
        self.assertIn(f"Total params: {params:,}", text)
        self.assertIn(f"Total mult-adds (M): {64 * params / 1e6:.2f}", text)  # torchinfo: batch x params per Linear
        self.assertRegex(text, r"├─Linear \(0\)\s+\[64, 100\]\s+\[64, 200\]\s+20,200")
        self.assertIn("<table>", data["text/html"])
        self.assertIn("Time %", self.result("%summary net --input 64,100 --depth 1 --times")["text/plain"])
        self.assertEqual(self.k.value("net.isTraining()"), "true")

    def test_saved_for_backward_matches_what_pytorch_saves(self):
        """Byte for byte what PyTorch's saved_tensors_hooks see (display_facts.py), parameters and their views aside."""
        java = self.k.value("Summary.of(new Sequential(new Conv2d(3, 4, 3, 1, 1), new ReLU(), new MaxPool2d(2), "
                            "new Flatten(), new Linear(64, 8), new ReLU(), new Dropout(0.5), new Linear(8, 2)))"
                            ".input(5, 3, 8, 8).mode(Mode.TRAIN).run().savedForBackwardBytes()")
        self.assertEqual(int(java), FACTS["cnn_saved_bytes"])

    def test_summary_bad_input_names_the_problem(self):
        self.k.value("var net2 = new Sequential(new Linear(100, 200), new ReLU());")
        self.assertIn("noSuchModel", self.error("%summary noSuchModel --input 64,100"))
        self.assertIn("--input must be a shape", self.error("%summary net2 --input 64,abc"))
        self.assertIn("--input is required", self.error("%summary net2"))
        self.assertIn("is a Integer, not a Module", self.error("%summary kept --input 2"))
        e = self.error("%summary net2 --input 64,50")
        self.assertIn("mat1 and mat2 shapes cannot be multiplied (64x50 and 100x200)", e)
        self.assertIn("0 (Linear)", e)
        self.assertIn("Usage: %summary MODEL", e)
        # nothing was left attached: the model still runs and summarises
        self.assertIn("Total params", self.result("%summary net2 --input 3,100")["text/plain"])

    def test_seed_repeats_random_numbers(self):
        reply, outputs = self.k.run("%seed 7")
        self.assertEqual(reply["content"]["status"], "ok", reply["content"])
        self.assertIn("seeded with 7", self.k.stdout(outputs))
        first = self.k.value("randn(4)")
        self.k.run("%seed 7")
        self.assertEqual(self.k.value("randn(4)"), first)
        self.assertIn("N must be an integer", self.error("%seed seven"))

    def test_help_for_the_new_magics(self):
        reply, outputs = self.k.run("%summary --help")
        self.assertIn("--input SHAPE", self.k.stdout(outputs))
        reply, outputs = self.k.run("%help seed")
        self.assertIn("%seed N", self.k.stdout(outputs))


if __name__ == "__main__":
    unittest.main()
