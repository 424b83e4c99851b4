package dev.nnlab.io;

import dev.nnlab.tensor.DType;
import dev.nnlab.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** nnlab writes, PyTorch reads: runs when NNLAB_PYTHON names a Python with torch and safetensors (./nnlab test sets it). */
class SafeTensorsInteropTest {
    @Test
    void pyTorchLoadsWhatNnlabWrote(@TempDir Path dir) throws Exception {
        String python = System.getenv("NNLAB_PYTHON");
        assumeTrue(python != null && !python.isBlank(), "NNLAB_PYTHON is not set; ./nnlab test sets it");
        Map<String, Tensor> sd = new LinkedHashMap<>();
        sd.put("layer.weight", Tensor.arange(0.0, 12.0, 1.0).view(3, 4).div(8));
        sd.put("layer.bias", Tensor.tensor(DType.FLOAT64, -1.5, 0.25));
        sd.put("steps", Tensor.tensor(3L, 4L));
        sd.put("mask", Tensor.tensor(true, false, true));
        Path f = dir.resolve("from_java.safetensors");
        SafeTensors.save(sd, Map.of("producer", "nnlab"), f);
        String check = String.join("\n",
                "import sys, torch",
                "from safetensors import safe_open",
                "with safe_open(sys.argv[1], framework='pt') as f:",
                "    t = {k: f.get_tensor(k) for k in f.keys()}",
                "    assert f.metadata() == {'producer': 'nnlab'}, f.metadata()",
                "assert torch.equal(t['layer.weight'], torch.arange(12.).view(3, 4) / 8)",
                "assert t['layer.bias'].dtype == torch.float64 and t['layer.bias'].tolist() == [-1.5, 0.25]",
                "assert t['steps'].dtype == torch.int64 and t['steps'].tolist() == [3, 4]",
                "assert t['mask'].tolist() == [True, False, True]",
                "print('ok')");
        Path script = dir.resolve("check.py");
        Files.writeString(script, check);
        Process p = new ProcessBuilder(python, script.toString(), f.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(120, TimeUnit.SECONDS);
        assertEquals(0, p.exitValue(), out);
        assertEquals("ok", out.strip());
    }
}
