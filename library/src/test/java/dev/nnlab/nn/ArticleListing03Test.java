package dev.nnlab.nn;

import dev.nnlab.autograd.NoGrad;
import dev.nnlab.tensor.DType;
import dev.nnlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ARTICLE.md §2.1: ParameterList/ParameterDict, the non-tying {@code Parameter(w.t())}, and a real tie. */
class ArticleListing03Test {
    static final class ParameterManagementModule extends Module {
        final ParameterList paramList = registerModule("param_list", new ParameterList());
        final ParameterDict paramDict = registerModule("param_dict", new ParameterDict());
        final Linear layer1;
        final Linear layer2;

        ParameterManagementModule(int[]... paramShapes) {
            for (int i = 0; i < paramShapes.length; i++) {
                paramList.append(new Parameter(Tensor.randn(paramShapes[i])));
                paramDict.put("param_" + i, new Parameter(Tensor.randn(paramShapes[i])));
            }
            layer1 = registerModule("layer1", new Linear(10, 20));
            layer2 = registerModule("layer2", new Linear(20, 10));
            // The article's "tying", as written in Python: a NEW Parameter on a transposed view of layer1's weight
            layer2.weight = new Parameter(layer1.weight.t());
        }

        @Override
        public Tensor forward(Tensor x) {
            for (Parameter p : paramList) x = x.add(p.mean());
            for (Map.Entry<String, Parameter> e : paramDict.items()) x = x.mul(e.getValue().std());
            x = layer1.call(x);
            return layer2.call(x);
        }
    }

    static final class TraditionalModule extends Module {
        final ModuleList layers = registerModule("layers", new ModuleList());

        TraditionalModule(int numLayers) {
            for (int i = 0; i < numLayers; i++) layers.append(new Linear(10, 10));
        }
    }

    static final class ParameterEfficientModule extends Module {
        final ParameterList weights = registerModule("weights", new ParameterList());
        final ParameterList biases = registerModule("biases", new ParameterList());

        ParameterEfficientModule(int numLayers) {
            for (int i = 0; i < numLayers; i++) {
                weights.append(new Parameter(Tensor.randn(10, 10)));
                biases.append(new Parameter(Tensor.zeros(10)));
            }
        }

        @Override
        public Tensor forward(Tensor x) {
            for (int i = 0; i < weights.size(); i++) x = Tensor.linear(x, weights.get(i), biases.get(i)).relu();
            return x;
        }
    }

    /** The real tie: reuse layer1's Parameter in forward. */
    static final class TiedForContrast extends Module {
        final Linear layer1 = registerModule("layer1", new Linear(10, 20));
        final Parameter bias2 = registerParameter("bias2", new Parameter(Tensor.zeros(10)));

        @Override
        public Tensor forward(Tensor x) {
            return Tensor.linear(layer1.call(x), layer1.weight.t(), bias2);
        }
    }

    @Test
    void namesCountsAndStateDictAsPyTorch() {
        ParameterManagementModule m = new ParameterManagementModule(new int[] {10}, new int[] {5, 5});
        List<List<Object>> expected = NnFacts.model("ParameterManagementModule", "parameters");
        List<List<Object>> actual = new ArrayList<>();
        m.namedParameters().forEach((n, p) -> {
            List<Object> shape = new ArrayList<>();
            for (int d : p.shape()) shape.add((long) d);
            actual.add(List.of(n, shape));
        });
        assertEquals(expected, actual);
        assertEquals(500, m.numParameters(), "parameters() counts the aliased weight twice");
        assertEquals(NnFacts.<List<Object>>model("ParameterManagementModule", "state_dict"), new ArrayList<>(m.stateDict().keySet()));
        assertEquals(NnFacts.<String>model("ParameterManagementModule", "repr"), m.toString());
    }

    @Test
    void theArticlesTieAliasesMemoryButNotGradients() {
        ParameterManagementModule m = new ParameterManagementModule(new int[] {10}, new int[] {5, 5});
        assertNotSame(m.layer1.weight, m.layer2.weight);
        assertTrue(m.layer2.weight.sharesStorageWith(m.layer1.weight), "same data_ptr");
        assertFalse(m.layer2.weight.isContiguous());
        Tensor y = m.call(Tensor.randn(4, 10));
        assertArrayEquals(new int[] {4, 10}, y.shape());
        y.mul(y).sum().backward();
        Tensor g1 = m.layer1.weight.grad();
        Tensor g2 = m.layer2.weight.grad();
        assertArrayEquals(new int[] {20, 10}, g1.shape());
        assertArrayEquals(new int[] {10, 20}, g2.shape());
        assertFalse(TensorAsserts.equal(g1, g2.t()), "separate leaves, separate grads");

        // An in-place SGD step on both lands in the shared memory: -lr * (g1 + g2^T)
        Tensor before = m.layer1.weight.detach().clone();
        try (var g = NoGrad.enter()) {
            for (Parameter p : m.parameters()) p.sub_(p.grad().mul(0.1));  // what SGD(lr=0.1).step() does
        }
        TensorAsserts.assertClose(m.layer1.weight.detach(), m.layer2.weight.detach().t(), 0, 0, "still aliased");
        TensorAsserts.assertClose(g1.add(g2.t()).mul(-0.1), m.layer1.weight.detach().sub(before), 1e-5, 1e-6, "moved by both");

        // After .double() the alias is broken: each Parameter got its own converted data
        ParameterManagementModule m2 = new ParameterManagementModule(new int[] {10});
        m2.toDouble();
        try (var g = NoGrad.enter()) {
            m2.layer1.weight.add_(1.0);
        }
        assertEquals(DType.FLOAT64, m2.layer2.weight.dtype());
        assertFalse(TensorAsserts.equal(m2.layer1.weight.detach(), m2.layer2.weight.detach().t()));
    }

    @Test
    void aRealTieCountsOnceAndAccumulatesBothGradients() {
        TiedForContrast t = new TiedForContrast();
        assertEquals(NnFacts.<Long>model("TiedForContrast", "numel"), t.numParameters());
        assertEquals(230, t.numParameters());
        Tensor x = Tensor.randn(3, 10);
        t.call(x).sum().backward();
        // Gradient of sum(linear(h, W^T, b2)) w.r.t. W through both uses, against an untied double-check
        Tensor w = t.layer1.weight.detach().clone().requiresGrad_();
        Tensor b1 = t.layer1.bias.detach();
        Tensor h = Tensor.linear(x, w, b1);
        Tensor.linear(h, w.t(), t.bias2.detach()).sum().backward();
        TensorAsserts.assertClose(w.grad(), t.layer1.weight.grad(), 1e-5, 1e-6, "tied grad");
    }

    @Test
    void traditionalAndEfficientModules() {
        TraditionalModule trad = new TraditionalModule(4);
        ParameterEfficientModule eff = new ParameterEfficientModule(4);
        assertEquals(440, trad.numParameters());
        assertEquals(440, eff.numParameters());
        assertEquals(NnFacts.<String>model("TraditionalModule", "repr"), trad.toString());
        assertEquals(NnFacts.<String>model("ParameterEfficientModule", "repr"), eff.toString());
        assertEquals(NnFacts.<List<Object>>model("ParameterEfficientModule", "state_dict"), new ArrayList<>(eff.stateDict().keySet()));
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> trad.call(Tensor.randn(2, 10)));
        assertEquals("Module [TraditionalModule] is missing the required \"forward\" function", e.getMessage());

        Tensor.manualSeed(0);
        Tensor xin = Tensor.randn(256, 10);
        try (var g = NoGrad.enter()) {
            double stdEff = std(new ParameterEfficientModule(8).call(xin));
            Sequential seq8 = new Sequential();
            for (int i = 0; i < 8; i++) seq8.append(new Linear(10, 10)).append(new ReLU());
            double stdSeq = std(seq8.call(xin));
            assertTrue(stdEff > 10, "randn weights explode: " + stdEff);
            assertTrue(stdSeq < 1, "Linear's default init does not: " + stdSeq);
        }
    }

    private static double std(Tensor t) {
        double[] v = t.toDoubleArray();
        double mean = 0;
        for (double d : v) mean += d / v.length;
        double s = 0;
        for (double d : v) s += (d - mean) * (d - mean);
        return Math.sqrt(s / (v.length - 1));
    }
}
