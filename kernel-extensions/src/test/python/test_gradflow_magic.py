"""%gradflow through a real kernel: the chart's MIME type and pixel size, the diagnostics, the table, the live chart
while training, and bad input that leaves the kernel and its state alone."""
import base64
import struct
import unittest

from nnlab_kernel import Kernel

MLP = "new Sequential(new Linear(10, 32), new ReLU(), new Linear(32, 32), new ReLU(), new Linear(32, 1))"
STEP = "{ opt.zeroGrad(); F.mseLoss(%s.call(x), y).backward(); opt.step(); }"


def png_size(b64):
    """Width and height from a base64 PNG's IHDR chunk (bytes 16..24 after the 8-byte signature)."""
    raw = base64.b64decode(b64)
    assert raw[:8] == b"\x89PNG\r\n\x1a\n", raw[:8]
    assert raw[12:16] == b"IHDR"
    return struct.unpack(">II", raw[16:24])


class GradflowMagic(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.k = Kernel()
        cls.k.value("int kept = 42;")
        cls.k.value("manualSeed(1); var x = randn(64, 10); var y = randn(64, 1);")
        cls.k.value(f"var net = {MLP};")
        cls.k.value("F.mseLoss(net.call(x), y).backward();")

    @classmethod
    def tearDownClass(cls):
        cls.k.close()

    def assertState(self):
        self.assertEqual(self.k.value("kept"), "42")

    def result(self, code):
        reply, outputs = self.k.run(code)
        self.assertEqual(reply["content"]["status"], "ok", reply["content"])
        results = [o for o in outputs if o["msg_type"] == "execute_result"]
        self.assertEqual(len(results), 1, [o["msg_type"] for o in outputs])
        return results[0]["content"]["data"], outputs

    def error(self, code):
        reply, outputs = self.k.run(code)
        self.assertEqual(reply["content"]["status"], "error", reply["content"])
        self.assertEqual(len([o for o in outputs if o["msg_type"] == "error"]), 1)
        return reply["content"]

    def test_chart_and_findings_after_backward(self):
        data, _ = self.result("%gradflow net")
        self.assertEqual(png_size(data["image/png"]), (800, 450))
        self.assertEqual(data["text/plain"], "No findings: gradients look healthy.")
        self.assertIn("<img src=\"data:image/png;base64,", data["text/html"])
        self.assertNotIn("<table>", data["text/html"])
        self.assertState()

    def test_table_log_scale_size_and_biases(self):
        data, _ = self.result("%gradflow net --table --log --size 640,360")
        self.assertEqual(png_size(data["image/png"]), (640, 360))
        text = data["text/plain"]
        rows = [line.split("|")[0].strip() for line in text.splitlines() if line.strip().endswith("|")
                and "Linear" in line]
        self.assertEqual(rows, ["0.weight", "2.weight", "4.weight"])
        self.assertIn("mean |grad|", text)
        self.assertEqual(data["text/html"].count("<tr>"), 4)
        data, _ = self.result("%gradflow net --table --biases")
        self.assertIn("0.bias", data["text/plain"])
        self.assertEqual(data["text/html"].count("<tr>"), 7)

    def test_vanishing_and_missing_are_sentences(self):
        self.k.value("Module[] deepLayers = new Module[41];\n"
                     "for (int i = 0; i < 20; i++) { deepLayers[2 * i] = new Linear(i == 0 ? 10 : 32, 32);"
                     " deepLayers[2 * i + 1] = new Sigmoid(); }\n"
                     "deepLayers[40] = new Linear(32, 1);\n"
                     "var deep = new Sequential(deepLayers);\n"
                     "F.mseLoss(deep.call(x), y).backward();")
        data, _ = self.result("%gradflow deep --log")
        self.assertTrue(data["text/plain"].startswith("vanishing gradient: 0.weight has mean |grad| "),
                        data["text/plain"])
        self.assertRegex(data["text/plain"], r"[\d.]+ orders of magnitude below 40\.weight's ")
        self.assertIn("<li>vanishing gradient: 0.weight", data["text/html"])
        self.k.value("class TwoHeads extends Module {\n"
                     "    final Linear used = registerModule(\"used\", new Linear(10, 1));\n"
                     "    final Linear unused = registerModule(\"unused\", new Linear(10, 1));\n"
                     "    @Override public Tensor forward(Tensor t) { return used.call(t); }\n"
                     "}\n"
                     "var heads = new TwoHeads();\n"
                     "F.mseLoss(heads.call(x), y).backward();")
        data, _ = self.result("%gradflow heads --table")
        self.assertIn("missing gradient: unused.weight (Linear) requires grad but got none", data["text/plain"])
        self.assertIn("no gradient (not used in forward?)", data["text/plain"])
        self.assertState()

    def test_watch_updates_a_chart_while_training_then_history_and_stop(self):
        self.k.value(f"var net2 = {MLP}; var opt = new SGD(net2.parameters(), 0.02);")
        reply, outputs = self.k.run("%gradflow watch net2 --every 2\n"
                                    "for (int i = 0; i < 6; i++) " + STEP % "net2")
        self.assertEqual(reply["content"]["status"], "ok", reply["content"])
        shown = [o for o in outputs if o["msg_type"] in ("display_data", "update_display_data")]
        self.assertEqual(shown[0]["msg_type"], "display_data")
        self.assertIn("watching net2 every 2 steps", shown[0]["content"]["data"]["text/plain"])
        updates = shown[1:]
        self.assertGreaterEqual(len(updates), 1)
        ids = {o["content"]["transient"]["display_id"] for o in shown}
        self.assertEqual(len(ids), 1, "every update replaces the one display")
        for u in updates:
            self.assertEqual(u["msg_type"], "update_display_data")
            self.assertEqual(png_size(u["content"]["data"]["image/png"]), (800, 900))
        # more steps in a later cell update the same display
        reply, outputs = self.k.run("for (int i = 0; i < 2; i++) " + STEP % "net2")
        later = [o for o in outputs if o["msg_type"] == "update_display_data"]
        self.assertTrue(all(o["content"]["transient"]["display_id"] in ids for o in later))

        data, _ = self.result("%gradflow history net2 --table")
        self.assertEqual(png_size(data["image/png"]), (800, 900))
        text = data["text/plain"]
        self.assertTrue(text.startswith("4 records, steps 0..6 (every 2); latest step 6:\nNo findings"), text)
        self.assertIn("log10 update ratio", text)
        self.assertEqual(len([l for l in text.splitlines() if l.strip().startswith(("0 ", "2 ", "4 ", "6 "))
                              and "weight" in l]), 4 * 3)
        data, _ = self.result("%gradflow history net2 --heatmap --size 500,300")
        self.assertEqual(png_size(data["image/png"]), (500, 300))

        data, outputs = self.result("%gradflow stop net2")
        self.assertIn("stopped watching net2: 4 records over 8 steps", self.k.stdout(outputs))
        self.assertEqual(self.k.value("GradFlow.watching(net2) == null"), "true")
        self.assertIn("4 records", self.result("%gradflow history net2")[0]["text/plain"])
        self.assertState()

    def test_dead_relu_units_when_watched(self):
        self.k.value(f"var dead = {MLP}; ((Linear) dead.get(0)).bias.detach().fill_(-8);"
                     " var opt3 = new SGD(dead.parameters(), 0.01);")
        sentence = "dead units: 1 (ReLU) has 32 of 32 units (100%) zero for more than 99% of the batch."
        reply, _ = self.k.run("%gradflow watch dead\n"
                              "{ opt3.zeroGrad(); F.mseLoss(dead.call(x), y).backward(); opt3.step(); }")
        self.assertEqual(reply["content"]["status"], "ok", reply["content"])
        data, _ = self.result("%gradflow dead")
        self.assertTrue(data["text/plain"].startswith("step 0\n"), data["text/plain"])
        self.assertIn(sentence, data["text/plain"])
        self.result("%gradflow stop dead")
        self.assertIn(sentence, self.result("%gradflow history dead")[0]["text/plain"])

    def test_help(self):
        reply, outputs = self.k.run("%gradflow --help")
        self.assertEqual(reply["content"]["status"], "ok", reply["content"])
        self.assertIn("%gradflow MODEL [--log] [--biases] [--table]", self.k.stdout(outputs))
        reply, outputs = self.k.run("%help gradflow")
        self.assertIn("%gradflow watch MODEL [--every N]", self.k.stdout(outputs))
        self.assertIn("%gradflow history MODEL", self.k.stdout(outputs))


class GradflowBadInput(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.k = Kernel()
        cls.k.value("int kept = 42;")
        cls.k.value(f"var net = {MLP}; var t = randn(2, 2);")

    @classmethod
    def tearDownClass(cls):
        cls.k.close()

    def error(self, code):
        reply, outputs = self.k.run(code)
        self.assertEqual(reply["content"]["status"], "error", reply["content"])
        self.assertEqual(len([o for o in outputs if o["msg_type"] == "error"]), 1)
        self.assertTrue(self.k.km.is_alive())
        self.assertEqual(self.k.value("kept"), "42")
        return reply["content"]["evalue"]

    def test_unknown_variable_is_named(self):
        e = self.error("%gradflow noSuchModel")
        self.assertIn("noSuchModel", e)
        self.assertIn("not defined", e)
        self.assertIn("Usage: %gradflow MODEL", e)
        self.assertIn("noSuchModel", self.error("%gradflow watch noSuchModel --every 2"))

    def test_not_a_module(self):
        self.assertIn("'t' is a Tensor, not a Module", self.error("%gradflow t"))

    def test_unknown_flag(self):
        self.assertIn("unknown option --bogus", self.error("%gradflow net --bogus"))
        self.assertIn("--every must be an integer, got 'often'", self.error("%gradflow watch net --every often"))
        self.assertIn("--size must be WIDTH,HEIGHT", self.error("%gradflow net --size 3,4,5"))

    def test_no_backward_yet(self):
        e = self.error("%gradflow net")
        self.assertIn("no parameter of Sequential has a gradient yet: run loss.backward() first", e)

    def test_watch_errors_attach_nothing(self):
        self.assertIn("every must be a number of steps >= 1, got 0", self.error("%gradflow watch net --every 0"))
        self.assertEqual(self.k.value("GradFlow.watching(net) == null"), "true")
        self.assertIn("'net' is not watched", self.error("%gradflow stop net"))
        self.assertIn("'net' was never watched", self.error("%gradflow history net"))
        reply, _ = self.k.run("%gradflow watch net --every 3")
        self.assertEqual(reply["content"]["status"], "ok", reply["content"])
        try:
            self.assertIn("already watched (every 3 steps)", self.error("%gradflow watch net"))
        finally:
            self.k.run("%gradflow stop net")
        self.assertEqual(self.k.value("GradFlow.watching(net) == null"), "true")


if __name__ == "__main__":
    unittest.main()
