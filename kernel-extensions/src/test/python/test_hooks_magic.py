"""%hooks through a real kernel and client: what each subcommand attaches, shows and removes; bad input leaves the
kernel, its state and the model's hooks as they were."""
import re
import unittest

from nnlab_kernel import Kernel

SETUP = """
Tensor.manualSeed(0);
var model = new Sequential(new Linear(100, 200), new ReLU(), new Dropout(0.1), new Linear(200, 100), new Sigmoid());
var x = randn(64, 100);
int kept = 42;
"""

HOOK_COUNT = "model.modules().stream().mapToInt(m -> m.registeredHooks().size()).sum()"


class HooksMagic(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.k = Kernel()
        reply, _ = cls.k.run(SETUP)
        assert reply["content"]["status"] == "ok", reply["content"]

    @classmethod
    def tearDownClass(cls):
        cls.k.close()

    def setUp(self):
        self.ok("%hooks clear")
        self.assertEqual(self.hooks(), 0)

    def ok(self, code):
        reply, outputs = self.k.run(code)
        self.assertEqual(reply["content"]["status"], "ok", reply["content"])
        return outputs

    def result(self, code):
        """The execute_result's MIME bundle of a cell."""
        outputs = self.ok(code)
        results = [o["content"]["data"] for o in outputs if o["msg_type"] == "execute_result"]
        self.assertEqual(len(results), 1, outputs)
        return results[0]

    def error(self, code):
        reply, outputs = self.k.run(code)
        self.assertEqual(reply["content"]["status"], "error", reply["content"])
        return reply["content"]

    def hooks(self):
        return int(self.k.value(HOOK_COUNT))

    def assertSurvives(self, hooks):
        self.assertEqual(self.k.value("kept"), "42")
        self.assertEqual(self.hooks(), hooks)

    @staticmethod
    def rows(text):
        """Data rows of the printed Tablesaw tables in a text: lines with cells, less headers and separators."""
        lines = text.splitlines()
        sep = [bool(re.fullmatch(r"[-\s|]+", l)) and "-" in l for l in lines]
        return [[c.strip() for c in l.split("|")] for i, l in enumerate(lines)
                if "|" in l and not sep[i] and not (i + 1 < len(lines) and sep[i + 1])]

    def test_add_shows_ids_and_stats_has_a_row_per_layer_in_forward_order(self):
        data = self.result("%hooks add model")
        text = data["text/plain"]
        self.assertIn("attached recorder(activations, stats) to model: 5 modules, 5 hooks", text)
        rows = self.rows(text)
        self.assertEqual([r[1] for r in rows], ["0", "1", "2", "3", "4"])
        self.assertEqual([r[2] for r in rows], ["Linear", "ReLU", "Dropout", "Linear", "Sigmoid"])
        ids = [int(r[0]) for r in rows]
        self.assertEqual(self.hooks(), 5)
        handle_ids = self.k.value("Recorder.attached(model).get(0).handles().stream().map(h -> h.id()).toList()")
        self.assertEqual(handle_ids, str(ids))
        self.assertIn("<table>", data["text/html"])

        self.ok("var reluOut = new Tensor[1];"
                "var cap = model.get(1).registerForwardHook((m, in, out) -> { reluOut[0] = ((Tensor) out).clone(); return null; });"
                "model.call(x); cap.remove();"
                "double zeroFrac(Tensor t) { float[] v = t.toFloatArray(); int z = 0; for (float f : v) if (f == 0) z++; return (double) z / v.length; }"
                "double mean(Tensor t) { double s = 0; for (float f : t.toFloatArray()) s += f; return s / t.numel(); }")
        data = self.result("%hooks stats model")
        rows = self.rows(data["text/plain"])
        self.assertEqual([(r[0], r[2], r[3]) for r in rows],
                         [(m, "output", "1") for m in ["0", "1", "2", "3", "4"]])
        self.assertEqual(rows[1][4], "[64, 200]")
        # the ReLU's numbers, against its output captured by the test's own hook and counted in plain Java
        self.assertAlmostEqual(float(rows[1][10]), float(self.k.value("zeroFrac(reluOut[0])")), places=4)
        self.assertAlmostEqual(float(rows[1][5]), float(self.k.value("mean(reluOut[0])")), places=3)
        self.assertGreater(float(rows[1][10]), 0.3)
        html = data["text/html"]
        self.assertIn("mostly dead units", html)
        highlighted = re.findall(r'<td style="background:#f8d7da[^>]*>([^<]*)</td>', self.result(
            "%hooks stats model --dead 0.4")["text/html"])
        # the ReLU's zeros, and the Dropout's (the ReLU's plus the dropped ones)
        self.assertEqual(highlighted, [rows[1][10], rows[2][10]])
        self.assertGreater(float(rows[2][10]), float(rows[1][10]))

    def test_add_filters_by_type_and_path_and_twice_adds_nothing(self):
        text = self.result("%hooks add model --type Linear --what both")["text/plain"]
        rows = self.rows(text)
        self.assertEqual([(r[1], r[3]) for r in rows], [("0", "forward"), ("0", "backward"), ("3", "forward"), ("3", "backward")])
        self.assertEqual(self.hooks(), 4)
        again = self.result("%hooks add model --type Linear --what both")["text/plain"]
        self.assertIn("already attached, nothing added", again)
        self.assertEqual(self.hooks(), 4)
        rows = self.rows(self.result("%hooks add model --path '[3-4]' --keep history")["text/plain"])
        self.assertEqual([r[1] for r in rows], ["3", "4"])
        self.assertEqual(self.hooks(), 6)
        self.ok("model.call(x.requiresGrad_(false)).sum().backward();")
        stats = self.rows(self.result("%hooks stats model")["text/plain"])
        kinds = [(r[0], r[2]) for r in stats]
        self.assertEqual(kinds[:6], [("0", "output"), ("0", "grad_output"), ("0", "grad_input"),
                                     ("3", "output"), ("3", "grad_output"), ("3", "grad_input")])
        self.assertEqual(stats[2][4], "None")  # grad_input of the first layer: x needs no grad
        self.assertEqual(kinds[6:], [("3", "output"), ("4", "output")])

    def test_list_shows_the_users_hooks_beside_ours(self):
        self.ok("var mine = model.get(1).registerForwardHook((m, in, out) -> null);")
        self.ok("%hooks add model --type ReLU")
        text = self.result("%hooks list model")["text/plain"]
        rows = self.rows(text)
        self.assertEqual([(r[1], r[2], r[3], r[4]) for r in rows],
                         [("1", "ReLU", "forward", "user"), ("1", "ReLU", "forward", "recorder(activations, stats, type=ReLU)")])
        self.assertEqual(int(rows[0][0]), int(self.k.value("mine.id()")))
        rows = self.rows(self.result("%hooks list")["text/plain"])
        self.assertEqual([r[0] for r in rows], ["model", "model"])
        c = self.error(f"%hooks remove {int(self.k.value('mine.id()'))}")
        self.assertIn("was registered by user code, not by %hooks", c["evalue"])
        self.assertSurvives(2)
        self.ok("mine.remove();")

    def test_remove_by_id_and_all_and_clear(self):
        rows = self.rows(self.result("%hooks add model --what both --type Linear")["text/plain"])
        ids = [r[0] for r in rows]
        out = self.k.stdout(self.ok(f"%hooks remove {ids[0]} {ids[1]}"))
        self.assertIn(f"removed hooks {ids[0]}, {ids[1]}", out)
        self.assertEqual(self.hooks(), 2)
        self.ok("%hooks add model --type ReLU")
        out = self.k.stdout(self.ok("%hooks remove --all model"))
        self.assertIn("removed 3 hooks from model", out)
        self.assertEqual(self.hooks(), 0)
        self.ok("%hooks add model")
        self.assertIn("removed 5 hooks from model", self.k.stdout(self.ok("%hooks clear")))
        self.assertEqual(self.hooks(), 0)

    def test_clip_clips_the_total_parameter_gradient_norm(self):
        self.ok("var small = new Sequential(new Linear(10, 20), new ReLU(), new Linear(20, 20), new ReLU(), new Linear(20, 1));"
                "var sx = randn(32, 10); var st = randn(32, 1);")
        self.ok("small.call(sx).sub(st).pow(2).sum().backward();"
                "double before = Math.sqrt(small.parameters().stream().mapToDouble(p -> p.grad().pow(2).sum().item()).sum());"
                "small.zeroGrad();")
        self.assertGreater(float(self.k.value("before")), 1.0)
        data = self.result("%hooks clip small --max-norm 1.0")
        self.assertIn("clip_grad_norm_(model.parameters(), 1.0)", data["text/plain"])
        self.assertIn("post-accumulate-grad hook on each of its 6 parameters", data["text/plain"])
        self.ok("small.call(sx).sub(st).pow(2).sum().backward();")
        after = float(self.k.value("Math.sqrt(small.parameters().stream().mapToDouble(p -> p.grad().pow(2).sum().item()).sum())"))
        self.assertAlmostEqual(after, 1.0, places=4)
        rows = self.rows(self.result("%hooks list small")["text/plain"])
        self.assertEqual([(r[1], r[3], r[4]) for r in rows], [("(model)", "forward", "clip(max_norm=1.0) + 6 parameter hooks")])
        self.assertIn("replaced clip(max_norm=1.0)", self.result("%hooks clip small --max-norm 2")["text/plain"])
        rows = self.rows(self.result("%hooks list small")["text/plain"])
        self.assertEqual([r[4] for r in rows], ["clip(max_norm=2.0) + 6 parameter hooks"])
        self.ok(f"%hooks remove {rows[0][0]}")
        self.assertEqual(self.k.value("small.registeredHooks().size()"), "0")
        self.ok("small.zeroGrad(); small.call(sx).sub(st).pow(2).sum().backward();")
        self.assertAlmostEqual(float(self.k.value(
            "Math.sqrt(small.parameters().stream().mapToDouble(p -> p.grad().pow(2).sum().item()).sum())")),
            float(self.k.value("before")), places=3)

    def test_bad_input_names_the_problem_and_leaves_everything_as_it_was(self):
        self.ok("%hooks add model --type ReLU")
        self.ok("String notAModel = \"hi\";")
        cases = [
            ("%hooks add noSuchModel", "'noSuchModel' is not defined"),
            ("%hooks add notAModel", "'notAModel' is a String, not a Module"),
            ("%hooks add model --type Conv2d", "no module of type Conv2d in Sequential"),
            ("%hooks add model --path 'layers.*'", "no module with path 'layers.*'"),
            ("%hooks add model --path 'layers.[0'", "bad path glob 'layers.[0'"),
            ("%hooks add model --what weights", "bad what 'weights': expected one of activations, gradients, both"),
            ("%hooks add model --keep all", "bad keep 'all'"),
            ("%hooks add model --history 0 --keep history", "historySize must be at least 1"),
            ("%hooks add model --colour red", "unknown option --colour"),
            ("%hooks add", "missing MODEL"),
            ("%hooks frobnicate model", "unknown subcommand 'frobnicate'"),
            ("%hooks", "missing SUBCOMMAND"),
            ("%hooks stats x", "'x' is a Tensor, not a Module"),
            ("%hooks remove 999999", "no hook with id 999999"),
            ("%hooks remove", "give hook ids or --all"),
            ("%hooks remove 1 --all", "not both"),
            ("%hooks clip model", "--max-norm X is required"),
            ("%hooks clip model --max-norm -1", "max_norm must be a positive finite number, got -1.0"),
            ("%hooks clip model --max-norm big", "--max-norm must be a number, got 'big'"),
            ("%hooks stats model --dead 2", "--dead must be a fraction between 0 and 1"),
        ]
        for code, message in cases:
            with self.subTest(code=code):
                c = self.error(code)
                self.assertEqual(c["ename"], "UsageError", c)
                self.assertIn(message, c["evalue"])
                self.assertIn("Usage: %hooks", c["evalue"])
                self.assertSurvives(1)
        self.ok("var bare = new Sequential();")
        self.assertIn("no recorder on bare", self.error("%hooks stats bare")["evalue"])

    def test_help(self):
        out = self.k.stdout(self.ok("%hooks add --help"))
        self.assertIn("%hooks add MODEL [--what KIND] [--type TYPES] [--path GLOB] [--keep KEEP]", out)
        out = self.k.stdout(self.ok("%help hooks"))
        for sub in ["add", "list", "stats", "remove", "clear", "clip"]:
            self.assertIn(f"%hooks {sub}", out)
        self.assertIn("%hooks", self.k.stdout(self.ok("%lsmagic")))


if __name__ == "__main__":
    unittest.main()
