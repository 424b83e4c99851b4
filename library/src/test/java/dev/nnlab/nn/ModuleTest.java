package dev.nnlab.nn;

import dev.nnlab.tensor.DType;
import dev.nnlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Registration, traversal, modes, conversion and printing of {@link Module}. */
class ModuleTest {
    private static String error(String key) {
        return NnFacts.get("errors", key);
    }

    private static void assertError(String key, Class<? extends Throwable> type, org.junit.jupiter.api.function.Executable f) {
        assertEquals(error(key), assertThrows(type, f).getMessage());
    }

    static final class Empty extends Module { }

    @Test
    void registrationReturnsWhatItRegisteredAndKeepsOrder() {
        Empty m = new Empty();
        Parameter w = m.registerParameter("w", new Parameter(Tensor.zeros(2)));
        Tensor b = m.registerBuffer("b", Tensor.ones(1));
        Linear l = m.registerModule("l", new Linear(2, 2));
        assertSame(w, m.getParameter("w"));
        assertSame(b, m.getBuffer("b"));
        assertSame(l, m.getSubmodule("l"));
        assertSame(l.weight, m.getParameter("l.weight"));
        assertEquals(List.of("w", "l.weight", "l.bias"), new ArrayList<>(m.namedParameters().keySet()));
        assertNull(m.registerParameter("none", null));
        assertEquals(3, m.parameters().size(), "a null parameter is registered but not listed");
        Parameter w2 = m.registerParameter("w", new Parameter(Tensor.zeros(3)));
        assertEquals(List.of("w", "b", "l.weight", "l.bias"), new ArrayList<>(m.stateDict().keySet()), "replaced in place");
        assertSame(w2, m.getParameter("w"));
    }

    @Test
    void nameErrorsAsPyTorch() {
        Sequential seq = new Sequential(new Linear(4, 4), new ReLU());
        assertError("add_module_dot", IllegalArgumentException.class, () -> seq.addModule("a.b", new ReLU()));
        assertError("add_module_empty", IllegalArgumentException.class, () -> seq.addModule("", new ReLU()));
        Linear lin = new Linear(2, 2);
        assertError("register_parameter_empty", IllegalArgumentException.class, () -> lin.registerParameter("", null));
        assertError("register_parameter_dot", IllegalArgumentException.class, () -> lin.registerParameter("a.b", null));
        assertError("register_buffer_exists", IllegalArgumentException.class, () -> lin.registerBuffer("weight", Tensor.zeros(1)));
        assertError("register_buffer_empty", IllegalArgumentException.class, () -> lin.registerBuffer("", Tensor.zeros(1)));
        assertError("add_module_exists", IllegalArgumentException.class, () -> lin.addModule("weight", new ReLU()));
        assertEquals(List.of("weight", "bias"), new ArrayList<>(lin.namedParameters().keySet()), "nothing changed");
        assertTrue(lin.namedChildren().isEmpty());
    }

    @Test
    void lookupErrorsAsPyTorch() {
        Sequential seq = new Sequential(new Linear(4, 4), new ReLU());
        assertError("get_submodule", IllegalArgumentException.class, () -> seq.getSubmodule("0.foo"));
        assertError("get_submodule_not_module", IllegalArgumentException.class, () -> seq.getSubmodule("0.weight"));
        assertError("get_parameter", IllegalArgumentException.class, () -> seq.getParameter("0.foo"));
        assertError("get_buffer_not_buffer", IllegalArgumentException.class, () -> seq.getBuffer("0.weight"));
    }

    @Test
    void missingForwardAndArity() {
        assertEquals(error("traditional_call"), assertThrows(UnsupportedOperationException.class,
                () -> new ArticleListing03Test.TraditionalModule(4).call(Tensor.randn(2, 10))).getMessage());
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> new Empty().forward(Tensor.ones(1)));
        assertEquals("Module [Empty] is missing the required \"forward\" function", e.getMessage());
        IllegalArgumentException a = assertThrows(IllegalArgumentException.class, () -> new ReLU().call(Tensor.ones(1), 3));
        assertEquals("ReLU.forward() takes 2 positional arguments but 3 were given", a.getMessage());
    }

    @Test
    void sharedModulesAndParametersAreListedOnce() {
        Linear shared = new Linear(2, 2);
        Sequential seq = new Sequential(shared, new ReLU(), shared);
        assertEquals(List.of("", "0", "1"), new ArrayList<>(seq.namedModules().keySet()));
        assertEquals(List.of("0.weight", "0.bias"), new ArrayList<>(seq.namedParameters().keySet()));
        assertEquals(6, seq.numParameters());
        assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias"), new ArrayList<>(seq.stateDict().keySet()));
        assertEquals(4, seq.namedParameters("", true, false).size(), "removeDuplicate=false lists both");
        assertEquals(List.of("pre.0.weight", "pre.0.bias"), new ArrayList<>(seq.namedParameters("pre", true, true).keySet()));
        assertTrue(seq.namedParameters("", false, true).isEmpty(), "no own parameters");
        assertEquals(2, seq.children().size());
    }

    @Test
    void trainEvalApplyRequiresGradAndCounts() {
        Sequential seq = new Sequential(new Linear(3, 4), new Dropout(0.5), new Sequential(new Linear(4, 1)));
        assertTrue(seq.isTraining());
        seq.eval();
        for (Module m : seq.modules()) assertFalse(m.isTraining());
        seq.train();
        for (Module m : seq.modules()) assertTrue(m.isTraining());
        List<String> visited = new ArrayList<>();
        seq.apply(m -> visited.add(m.getName()));
        assertEquals(List.of("Linear", "Dropout", "Linear", "Sequential", "Sequential"), visited, "children first");
        assertEquals(21, seq.numParameters());
        seq.getSubmodule("0").requiresGrad_(false);
        assertEquals(5, seq.numParameters(true));
        assertEquals(21, seq.numParameters(false));
    }

    @Test
    void zeroGradSetsToNoneOrZeros() {
        Linear l = new Linear(2, 1);
        l.call(Tensor.ones(1, 2)).sum().backward();
        Tensor g = l.weight.grad();
        assertNotNull(g);
        l.zeroGrad(false);
        assertSame(g, l.weight.grad());
        assertArrayEquals(new double[] {0, 0}, g.toDoubleArray(), 0);
        l.zeroGrad();
        assertNull(l.weight.grad());
        assertNull(l.bias.grad());
    }

    @Test
    void toDtypeKeepsParameterObjectsAndConvertsGrads() {
        Linear l = new Linear(2, 3);
        l.call(Tensor.ones(1, 2)).sum().backward();
        Parameter w = l.weight;
        double[] before = w.toDoubleArray();
        assertSame(l, l.toDouble());
        assertSame(w, l.weight);
        assertSame(w, l.getParameter("weight"));
        assertEquals(DType.FLOAT64, w.dtype());
        assertEquals(DType.FLOAT64, w.grad().dtype());
        assertArrayEquals(before, w.toDoubleArray(), 0);
        assertTrue(w.requiresGrad() && w.isLeaf());
        Tensor y = l.call(Tensor.ones(DType.FLOAT64, 1, 2));
        assertEquals(DType.FLOAT64, y.dtype());
        y.sum().backward();
        l.toFloat();
        assertEquals(DType.FLOAT32, w.dtype());
        Tensor counts = l.registerBuffer("count", Tensor.zeros(DType.INT64, 1));
        l.toDouble();
        assertEquals(DType.INT64, counts.dtype(), "integer buffers keep their dtype");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> l.to(DType.INT64));
        assertEquals("nn.Module.to only accepts floating point dtypes, but got desired dtype=torch.int64", e.getMessage());
    }

    @Test
    void layerReprsMatchPyTorch() {
        Map<String, Object> layers = NnFacts.get("layers");
        assertEquals(layers.get("Linear"), new Linear(100, 200).toString());
        assertEquals(layers.get("LinearNoBias"), new Linear(3, 4, false).toString());
        assertEquals(layers.get("Identity"), new Identity().toString());
        assertEquals(layers.get("Flatten"), new Flatten().toString());
        assertEquals(layers.get("Unflatten"), new Unflatten(1, 2, 5).toString());
        assertEquals(layers.get("ReLU"), new ReLU().toString());
        assertEquals("ReLU(inplace=True)", new ReLU(true).toString());
        assertEquals(layers.get("Sigmoid"), new Sigmoid().toString());
        assertEquals(layers.get("Tanh"), new Tanh().toString());
        assertEquals(layers.get("Dropout"), new Dropout(0.1).toString());
        assertEquals(layers.get("LeakyReLU"), new LeakyReLU(0.1).toString());
        assertEquals(layers.get("ELU"), new ELU().toString());
    }

    @Test
    void pythonFloatRepr() {
        assertEquals("0.1", Repr.pyFloat(0.1));
        assertEquals("1.0", Repr.pyFloat(1.0));
        assertEquals("1e-05", Repr.pyFloat(1e-5));
        assertEquals("0.0001", Repr.pyFloat(1e-4));
        assertEquals("0.01", Repr.pyFloat(0.01));
        assertEquals("1e+16", Repr.pyFloat(1e16));
        assertEquals("1.5e-07", Repr.pyFloat(1.5e-7));
    }

    @Test
    void linearDefaultInitBounds() {
        Tensor.manualSeed(1);
        Linear l = new Linear(64, 32);
        double bound = 1 / Math.sqrt(64);
        double wMax = 0;
        for (double v : l.weight.toDoubleArray()) wMax = Math.max(wMax, Math.abs(v));
        double bMax = 0;
        for (double v : l.bias.toDoubleArray()) bMax = Math.max(bMax, Math.abs(v));
        assertTrue(wMax <= bound && wMax > 0.9 * bound, "weight in U(-1/sqrt(fan_in), 1/sqrt(fan_in)): " + wMax);
        assertTrue(bMax <= bound && bMax > 0.7 * bound, "bias in U(-1/sqrt(fan_in), 1/sqrt(fan_in)): " + bMax);
        // U(-b, b) has variance b^2/3
        double var = 0;
        for (double v : l.weight.toDoubleArray()) var += v * v;
        var /= l.weight.numel();
        assertEquals(bound * bound / 3, var, bound * bound / 3 * 0.1);
    }

    @Test
    void activationsComputeWhatTheyNameWithGradients() {
        Tensor x = Tensor.tensor(-2f, -0.5f, 0.5f, 2f);
        assertArrayEquals(new double[] {-0.2, -0.05, 0.5, 2}, new LeakyReLU(0.1).call(x).toDoubleArray(), 1e-6);
        double[] elu = new ELU().call(x).toDoubleArray();
        assertArrayEquals(new double[] {Math.expm1(-2), Math.expm1(-0.5), 0.5, 2}, elu, 1e-6);
        assertArrayEquals(new double[] {0, 0, 0.5, 2}, new ReLU().call(x).toDoubleArray(), 0);
        assertArrayEquals(new double[] {Math.tanh(-2), Math.tanh(-0.5), Math.tanh(0.5), Math.tanh(2)}, new Tanh().call(x).toDoubleArray(), 1e-6);
        assertArrayEquals(new double[] {1 / (1 + Math.exp(2)), 1 / (1 + Math.exp(0.5)), 1 / (1 + Math.exp(-0.5)), 1 / (1 + Math.exp(-2))},
                new Sigmoid().call(x).toDoubleArray(), 1e-6);
        assertArrayEquals(new int[] {2, 12}, new Flatten().call(Tensor.zeros(2, 3, 4)).shape());
        assertArrayEquals(new int[] {2, 2, 5}, new Unflatten(1, 2, 5).call(Tensor.zeros(2, 10)).shape());
        Tensor z = Tensor.zeros(3);
        assertSame(z, new Identity().call(z));
        Tensor w = Tensor.tensor(-1f, 2f);
        assertSame(w, new ReLU(true).call(w));
        assertArrayEquals(new double[] {0, 2}, w.toDoubleArray(), 0, "inplace=True overwrites the input");
        Tensor u = Tensor.ones(4);
        assertSame(u, new Dropout(0.5, true).call(u));
        Tensor xd = Tensor.tensor(DType.FLOAT64, -2, -0.5, 0.5, 2).requiresGrad_();
        assertTrue(dev.nnlab.autograd.GradCheck.gradcheck(in -> new LeakyReLU(0.1).call(in[0]), xd));
        assertTrue(dev.nnlab.autograd.GradCheck.gradcheck(in -> new ELU(0.7).call(in[0]), xd));
    }

    @Test
    void dropoutZeroesAndRescalesInTrainingOnly() {
        Tensor.manualSeed(0);
        Dropout d = new Dropout(0.25);
        double[] y = d.call(Tensor.ones(10000)).toDoubleArray();
        int zeros = 0;
        for (double v : y) {
            if (v == 0) zeros++;
            else assertEquals(1 / 0.75, v, 1e-6);
        }
        assertEquals(0.25, zeros / 10000.0, 0.02);
        d.eval();
        Tensor x = Tensor.ones(5);
        assertSame(x, d.call(x));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Dropout(1.5));
        assertEquals("dropout probability has to be between 0 and 1, but got 1.5", e.getMessage());
    }

    @Test
    void oneParameterInTwoModulesIsTiedThroughGradsDtypeAndStateDict() {
        Linear a = new Linear(4, 4);
        Linear b = new Linear(4, 4);
        b.weight = b.registerParameter("weight", a.weight);
        Sequential seq = new Sequential(a, b);
        assertEquals(List.of("0.weight", "0.bias", "1.bias"), new ArrayList<>(seq.namedParameters().keySet()));
        assertEquals(24, seq.numParameters());
        assertEquals(List.of("0.weight", "0.bias", "1.weight", "1.bias"), new ArrayList<>(seq.stateDict().keySet()));
        Tensor x = Tensor.randn(3, 4);
        seq.call(x).sum().backward();
        Tensor w = a.weight.detach().clone().requiresGrad_();
        Tensor.linear(Tensor.linear(x, w, a.bias.detach()), w, b.bias.detach()).sum().backward();
        TensorAsserts.assertClose(w.grad(), a.weight.grad(), 1e-5, 1e-6, "both uses accumulate into one grad");
        seq.toDouble();
        assertSame(a.weight, b.weight);
        assertEquals(DType.FLOAT64, b.weight.dtype());
        assertArrayEquals(new int[] {3, 4}, seq.call(Tensor.randn(DType.FLOAT64, 3, 4)).shape());
    }
}
