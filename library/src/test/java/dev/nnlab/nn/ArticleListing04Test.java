package dev.nnlab.nn;

import dev.nnlab.autograd.NoGrad;
import dev.nnlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ARTICLE.md §2.2: re-initialising weights before every training forward. Python's decorator becomes a forward
 * pre-hook; the orthogonal part of {@code reset_parameters_advanced} waits for {@code nn.init} (another branch).
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

    /** A module that has the reset method (the article's AdvancedInitialization, minus the orthogonal init). */
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
