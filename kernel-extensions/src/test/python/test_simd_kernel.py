"""The kernel takes the SIMD statistics scan: its kernelspec adds jdk.incubator.vector. The JVM's one
"WARNING: Using incubator modules" line goes to the kernel's stderr (the Jupyter server's log), never to a cell."""
import tempfile
import unittest
from queue import Empty

from nnlab_kernel import Kernel

CELL = """
Tensor.manualSeed(0);
var model = new Sequential(new Linear(100, 200), new ReLU(), new Dropout(0.1), new Linear(200, 100), new Sigmoid());
var rec = Recorder.on(model).attach();
var y = model.call(randn(64, 100));
float[] v = y.contiguous().toFloatArray();
double sum = 0;
for (float f : v) sum += f;
System.out.println(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent());
System.out.println(rec.stats("4").numel() + " " + (sum / v.length) + " " + rec.stats("4").mean());
"""


class SimdKernel(unittest.TestCase):
    def test_the_module_is_on_and_its_warning_only_in_the_log(self):
        with tempfile.TemporaryFile() as log:
            k = Kernel(stderr=log)
            try:
                reply, outputs = k.run(CELL)
                self.assertEqual(reply["content"]["status"], "ok", reply["content"])
                out = k.stdout(outputs).strip().splitlines()
                self.assertEqual(out[-2], "true", out)
                numel, mean, recorded = out[-1].split()
                self.assertEqual(numel, "6400")
                self.assertAlmostEqual(float(mean), float(recorded), delta=1e-6)
                rest = []
                while True:
                    try:
                        rest.append(k.kc.get_iopub_msg(timeout=0.5))
                    except Empty:
                        break
                for msg in outputs + rest:
                    self.assertNotIn("Using incubator modules", str(msg["content"]), msg)
            finally:
                k.close()
            log.seek(0)
            self.assertIn("WARNING: Using incubator modules: jdk.incubator.vector", log.read().decode(errors="replace"))


if __name__ == "__main__":
    unittest.main()
