package dev.nnlab.nn;

import dev.nnlab.autograd.NoGrad;
import dev.nnlab.nn.functional.F;
import dev.nnlab.nn.init.Init;
import dev.nnlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ARTICLE.md §2.2: a custom (orthogonal + noise) initialisation, and re-initialising weights before every training
 * forward; Python's decorator becomes a forward pre-hook.
 */
class ArticleListing04Test {
    /** What Python's {@code @reinitialize_on_call} does, as a hook: reset before each training-mode forward. */
    static Module reinitializeOnCall(Module module) {
        module.registerForwardPreHook((m, args) -> {
            if (m.isTraining()) ((ReinitLinear) m).resetParametersAdvanced();
            return null;
        });
        return module;
    }

    static final class StochasticWeightsModule extends Module {
        final Parameter weight;

        StochasticWeightsModule(int dim) {
            weight = registerParameter("weight", new Parameter(Tensor.randn(dim, dim)));
        }

        @Override
        public Tensor forward(Tensor x) {
            return x.matmul(weight);
        }
    }

    static final class AdvancedInitialization extends Module {
        final Parameter weight;
        final Parameter bias;

        AdvancedInitialization(int inputDim, int outputDim) {
            weight = registerParameter("weight", new Parameter(Tensor.empty(outputDim, inputDim)));
            bias = registerParameter("bias", new Parameter(Tensor.empty(outputDim)));
            resetParametersAdvanced();
        }

        void resetParametersAdvanced() {
            Init.orthogonal_(weight, Init.calculateGain("relu"));
            int fanIn = weight.size(1);
            double bound = 1 / Math.sqrt(fanIn);
            Init.uniform_(bias, -bound, bound);
            try (var g = NoGrad.enter()) {
                Tensor noise = Tensor.randnLike(weight).mul(0.01);
                weight.add_(noise);
            }
        }

        @Override
        public Tensor forward(Tensor x) {
            return F.linear(x, weight, bias);
        }
    }

    @Test
    void orthogonalWithReluGainPlusNoise() {
        Tensor.manualSeed(0);
        AdvancedInitialization layer = new AdvancedInitialization(64, 32);
        assertEquals(Math.sqrt(2), Init.calculateGain("relu"), 1e-12);
        Tensor w = layer.weight.detach();
        double[] gram = w.matmul(w.t()).toDoubleArray();
        double diag = 0;
        double off = 0;
        for (int i = 0; i < 32; i++) {
            for (int j = 0; j < 32; j++) {
                if (i == j) diag += gram[i * 32 + j] / 32;
                else off = Math.max(off, Math.abs(gram[i * 32 + j]));
            }
        }
        assertEquals(2.0, diag, 0.02, "diagonal mean ~ gain^2 (PyTorch: 2.003)");
        assertTrue(off > 0.01 && off < 0.15, "the noise makes W only roughly orthogonal (PyTorch: 0.062): " + off);
        for (double v : layer.bias.toDoubleArray()) assertTrue(Math.abs(v) <= 0.125);
        assertArrayEquals(new int[] {8, 32}, layer.call(Tensor.randn(8, 64)).shape());
    }

    /** A module that has the reset method, for the decorator. */
    static final class ReinitLinear extends Module {
        final Parameter weight;
        final Parameter bias;

        ReinitLinear(int inputDim, int outputDim) {
            weight = registerParameter("weight", new Parameter(Tensor.empty(outputDim, inputDim)));
            bias = registerParameter("bias", new Parameter(Tensor.empty(outputDim)));
            resetParametersAdvanced();
        }

        void resetParametersAdvanced() {
            double bound = 1 / Math.sqrt(weight.size(1));
            try (var g = NoGrad.enter()) {
                weight.normal_(0, Math.sqrt(2.0 / weight.size(1)));
                bias.uniform_(-bound, bound);
                weight.add_(Tensor.randnLike(weight).mul(0.01));
            }
        }

        @Override
        public Tensor forward(Tensor x) {
            return Tensor.linear(x, weight, bias);
        }
    }

    @Test
    void theDecoratorFailsOnTheArticlesOwnClassUntilEval() {
        StochasticWeightsModule sw = new StochasticWeightsModule(4);
        reinitializeOnCall(sw);
        Tensor x = Tensor.randn(2, 4);
        assertTrue(sw.isTraining(), "modules start in training mode");
        Module.HookException e = assertThrows(Module.HookException.class, () -> sw.call(x));
        assertTrue(e.getCause() instanceof ClassCastException, "Java's AttributeError: it has no reset method");
        assertTrue(e.getMessage().startsWith("Error in forward pre-hook of StochasticWeightsModule: ClassCastException"), e.getMessage());
        sw.eval();
        assertArrayEquals(new int[] {2, 4}, sw.call(x).shape());
    }

    @Test
    void whereItRunsEveryTrainingForwardDiscardsTheUpdate() {
        ReinitLinear r = (ReinitLinear) reinitializeOnCall(new ReinitLinear(4, 4));
        Tensor x = Tensor.randn(2, 4);
        Tensor w0 = r.weight.detach().clone();
        r.call(x);
        assertFalse(TensorAsserts.equal(w0, r.weight.detach()), "a plain training forward changed the weight");
        r.call(x).sum().backward();
        try (var g = NoGrad.enter()) {
            for (Parameter p : r.parameters()) p.sub_(p.grad().mul(0.1));
        }
        Tensor afterStep = r.weight.detach().clone();
        r.call(x);
        assertFalse(TensorAsserts.equal(afterStep, r.weight.detach()), "the SGD update does not survive the next forward");
        r.eval();
        Tensor frozen = r.weight.detach().clone();
        r.call(x);
        TensorAsserts.assertEqual(frozen, r.weight.detach(), "eval mode leaves the weights alone");
        assertEquals(20, r.numParameters());
    }
}
