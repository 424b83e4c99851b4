package dev.nnlab.nn;

import dev.nnlab.autograd.GradCheck;
import dev.nnlab.nn.functional.F;
import dev.nnlab.tensor.DType;
import dev.nnlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The layers on top of F: PyTorch's reprs, registered state, default init and behaviour. */
class LayerTest {
    private static Map<String, Module> layers() {
        Map<String, Module> m = new LinkedHashMap<>();
        m.put("Bilinear", new Bilinear(3, 4, 5));
        m.put("Conv1d", new Conv1d(3, 8, 3));
        m.put("Conv2d", new Conv2d(3, 8, 3));
        m.put("Conv2dStridePad", new Conv2d(3, 8, 3, 2, 1));
        m.put("Conv2dFull", new Conv2d(4, 8, new int[] {3, 5}, new int[] {1, 2}, new int[] {1, 0}, new int[] {2, 1}, 2, false));
        m.put("MaxPool2d", new MaxPool2d(2));
        m.put("MaxPool2dFull", new MaxPool2d(3, 2, 1));
        m.put("AvgPool2d", new AvgPool2d(2));
        m.put("AdaptiveAvgPool2d", new AdaptiveAvgPool2d(1));
        m.put("AdaptiveAvgPool2dPair", new AdaptiveAvgPool2d(2, 3));
        m.put("BatchNorm1d", new BatchNorm1d(8));
        m.put("BatchNorm2d", new BatchNorm2d(8));
        m.put("BatchNorm2dCumulative", new BatchNorm2d(8, 1e-5, null, false, true));
        m.put("LayerNorm", new LayerNorm(10));
        m.put("LayerNorm2", new LayerNorm(new int[] {4, 5}, 1e-6, false, true));
        m.put("Embedding", new Embedding(10, 3));
        m.put("EmbeddingPad", new Embedding(10, 3, 0));
        m.put("GELU", new GELU());
        m.put("GELUTanh", new GELU("tanh"));
        m.put("SELU", new SELU());
        m.put("SiLU", new SiLU());
        m.put("Softmax", new Softmax(1));
        m.put("LogSoftmax", new LogSoftmax(-1));
        m.put("MSELoss", new MSELoss());
        m.put("L1Loss", new L1Loss());
        m.put("CrossEntropyLoss", new CrossEntropyLoss());
        m.put("NLLLoss", new NLLLoss());
        m.put("BCEWithLogitsLoss", new BCEWithLogitsLoss());
        return m;
    }

    @Test
    void reprsAndStateKeysMatchPyTorch() {
        Map<String, Object> expected = NnFacts.get("layers");
        Map<String, Module> ours = layers();
        ours.forEach((name, m) -> assertEquals(expected.get(name), m.toString(), name));
        Map<String, Object> state = NnFacts.get("layer_state");
        state.forEach((name, keys) -> assertEquals(keys, new ArrayList<>(ours.get(name).stateDict().keySet()), name));
    }

    @Test
    void convDefaultInitAndShapes() {
        Conv2d c = new Conv2d(3, 8, 3);
        double bound = 1 / Math.sqrt(3 * 3 * 3);
        for (double v : c.weight.toDoubleArray()) assertTrue(Math.abs(v) <= bound);
        for (double v : c.bias.toDoubleArray()) assertTrue(Math.abs(v) <= bound);
        assertArrayEquals(new int[] {8, 3, 3, 3}, c.weight.shape());
        assertArrayEquals(new int[] {2, 8, 6, 6}, c.call(Tensor.randn(2, 3, 8, 8)).shape());
        assertArrayEquals(new int[] {2, 8, 4, 4}, new Conv2d(3, 8, 3, 2, 1).call(Tensor.randn(2, 3, 8, 8)).shape());
        assertArrayEquals(new int[] {2, 8, 5}, new Conv1d(3, 8, 3).call(Tensor.randn(2, 3, 7)).shape());
        assertArrayEquals(new int[] {2, 3, 4, 4}, new MaxPool2d(2).call(Tensor.randn(2, 3, 8, 8)).shape());
        assertArrayEquals(new int[] {2, 3, 4, 4}, new AvgPool2d(2).call(Tensor.randn(2, 3, 8, 8)).shape());
        assertArrayEquals(new int[] {2, 3, 2, 3}, new AdaptiveAvgPool2d(2, 3).call(Tensor.randn(2, 3, 8, 9)).shape());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Conv2d(3, 8, new int[] {3, 3},
                new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1}, 2, true));
        assertEquals("in_channels must be divisible by groups", e.getMessage());
    }

    @Test
    void batchNormTracksStatsAndUsesThemInEval() {
        BatchNorm1d bn = new BatchNorm1d(2);
        assertEquals(List.of("running_mean", "running_var", "num_batches_tracked"), new ArrayList<>(bn.namedBuffers().keySet()));
        Tensor x = Tensor.tensor(new float[][] {{1, 10}, {3, 30}});
        Tensor y = bn.call(x);
        assertArrayEquals(new double[] {-1, -1, 1, 1}, y.toDoubleArray(), 1e-3, "normalised with batch stats");
        assertEquals(1, bn.numBatchesTracked.item());
        assertArrayEquals(new double[] {0.2, 2.0}, bn.runningMean.toDoubleArray(), 1e-6, "0.9 * 0 + 0.1 * mean");
        assertArrayEquals(new double[] {0.9 + 0.1 * 2, 0.9 + 0.1 * 200}, bn.runningVar.toDoubleArray(), 1e-4, "unbiased var");
        bn.eval();
        Tensor z = bn.call(x);
        assertArrayEquals(new double[] {(1 - 0.2) / Math.sqrt(1.1 + 1e-5), (10 - 2) / Math.sqrt(20.9 + 1e-5),
                (3 - 0.2) / Math.sqrt(1.1 + 1e-5), (30 - 2) / Math.sqrt(20.9 + 1e-5)}, z.toDoubleArray(), 1e-4);
        assertEquals(1, bn.numBatchesTracked.item(), "eval does not count");
        bn.resetRunningStats();
        assertEquals(0, bn.numBatchesTracked.item());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> bn.call(Tensor.zeros(2, 2, 2, 2)));
        assertEquals("expected 2D or 3D input (got 4D input)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new BatchNorm2d(2).call(Tensor.zeros(2, 2)));
        assertEquals("expected 4D input (got 2D input)", e.getMessage());

        BatchNorm1d cumulative = new BatchNorm1d(1, 1e-5, null, false, true);
        cumulative.call(Tensor.tensor(new float[][] {{2}, {4}}));
        cumulative.call(Tensor.tensor(new float[][] {{6}, {8}}));
        assertArrayEquals(new double[] {5}, cumulative.runningMean.toDoubleArray(), 1e-6, "momentum=None: plain average");
        assertNull(cumulative.weight);
    }

    @Test
    void embeddingAndLayerNorm() {
        Embedding e = new Embedding(10, 3, 0);
        assertArrayEquals(new double[] {0, 0, 0}, e.weight.select(0, 0).toDoubleArray(), 0, "padding row starts at zero");
        assertArrayEquals(new int[] {2, 4, 3}, e.call(Tensor.tensor(new long[][] {{0, 1, 2, 3}, {4, 5, 6, 9}})).shape());
        assertThrows(IllegalArgumentException.class, () -> new Embedding(3, 2, 3));
        LayerNorm ln = new LayerNorm(4);
        double[] y = ln.call(Tensor.tensor(new float[][] {{1, 2, 3, 4}})).toDoubleArray();
        double s = Math.sqrt(1.25 + 1e-5);
        assertArrayEquals(new double[] {-1.5 / s, -0.5 / s, 0.5 / s, 1.5 / s}, y, 1e-5);
    }

    @Test
    void lossModulesAndBilinearTakeTwoTensors() {
        Tensor a = Tensor.tensor(1f, 2f, 3f);
        Tensor b = Tensor.tensor(1f, 0f, 0f);
        assertEquals(13 / 3.0, new MSELoss().call(a, b).item(), 1e-6);
        assertEquals(13, new MSELoss("sum").call(a, b).item(), 1e-6);
        assertEquals(5 / 3.0, new L1Loss().call(a, b).item(), 1e-6);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new MSELoss("avg"));
        assertEquals("avg is not a valid value for reduction", e.getMessage());
        Tensor logits = Tensor.tensor(new float[][] {{2, 0, 0}, {0, 0, 3}});
        Tensor target = Tensor.tensor(0L, 2L);
        TensorAsserts.assertClose(F.crossEntropy(logits, target), new CrossEntropyLoss().call(logits, target), 1e-6, 0, "CE");
        TensorAsserts.assertClose(F.nllLoss(F.logSoftmax(logits, 1), target),
                new NLLLoss().call(F.logSoftmax(logits, 1), target), 1e-6, 0, "NLL");
        TensorAsserts.assertClose(F.binaryCrossEntropyWithLogits(a, b), new BCEWithLogitsLoss().call(a, b), 1e-6, 0, "BCE");
        List<Integer> seen = new ArrayList<>();
        MSELoss hooked = new MSELoss();
        hooked.registerForwardHook((m, args, out) -> { seen.add(args.length); return null; });
        hooked.call(a, b);
        assertEquals(List.of(2), seen, "hooks see both arguments");

        Bilinear bl = new Bilinear(3, 4, 5);
        double bound = 1 / Math.sqrt(3);
        for (double v : bl.weight.toDoubleArray()) assertTrue(Math.abs(v) <= bound);
        assertArrayEquals(new int[] {2, 5}, bl.call(Tensor.randn(2, 3), Tensor.randn(2, 4)).shape());
    }

    @Test
    void activationModulesMatchF() {
        Tensor x = Tensor.randn(3, 4);
        TensorAsserts.assertEqual(F.gelu(x, "tanh"), new GELU("tanh").call(x), "gelu");
        TensorAsserts.assertEqual(F.selu(x), new SELU().call(x), "selu");
        TensorAsserts.assertEqual(F.silu(x), new SiLU().call(x), "silu");
        TensorAsserts.assertEqual(F.softmax(x, 1), new Softmax(1).call(x), "softmax");
        TensorAsserts.assertEqual(F.logSoftmax(x, -1), new LogSoftmax(-1).call(x), "logSoftmax");
        assertThrows(IllegalArgumentException.class, () -> new GELU("fast"));
        Tensor xd = Tensor.randn(DType.FLOAT64, 2, 3).requiresGrad_();
        assertTrue(GradCheck.gradcheck(in -> new Sequential(new Softmax(1)).call(in[0]), xd));
    }
}
