package dev.nnlab.nn;

import dev.nnlab.models.CustomModule;
import dev.nnlab.tensor.DType;
import dev.nnlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ARTICLE.md §1.1: a module's parameters, buffers and plain fields. */
class ArticleListing01Test {
    @Test
    void parametersBuffersAndStateDictAsInPyTorch() {
        CustomModule module = new CustomModule(10, 20, 5);
        long n = 0;
        for (Parameter p : module.parameters()) n += p.numel();
        assertEquals(325, n);
        assertEquals((long) NnFacts.<Long>model("CustomModule", "numel"), module.numParameters());
        assertEquals(NnFacts.<List<Object>>model("CustomModule", "buffers"), new ArrayList<>(module.namedBuffers().keySet()));
        assertEquals(List.of("running_mean", "running_var"), new ArrayList<>(module.namedBuffers().keySet()));
        assertEquals(NnFacts.<List<Object>>model("CustomModule", "state_dict"), new ArrayList<>(module.stateDict().keySet()));
        assertFalse(module.stateDict().containsKey("custom_attribute"));
        assertEquals(NnFacts.<String>model("CustomModule", "repr"), module.toString());
    }

    @Test
    void buffersDoNotRequireGradAndFollowDouble() {
        CustomModule module = new CustomModule(10, 20, 5);
        for (Tensor b : module.buffers()) assertFalse(b.requiresGrad());
        Tensor out = module.call(Tensor.randn(4, 10));
        assertArrayEquals(new int[] {4, 5}, out.shape());
        Tensor mean = module.runningMean;
        Parameter w = module.linear1.weight;
        module.toDouble();
        assertSame(mean, module.getBuffer("running_mean"), "the buffer object is kept");
        assertEquals(DType.FLOAT64, module.runningMean.dtype());
        assertEquals(DType.FLOAT64, w.dtype());
        assertSame(w, module.linear1.weight);
        assertTrue(w.requiresGrad());
        assertArrayEquals(new int[] {4, 5}, module.call(Tensor.randn(DType.FLOAT64, 4, 10)).shape());
    }

    @Test
    void theNormalisationIsANearNoOp() {
        CustomModule module = new CustomModule(10, 20, 5);
        Tensor x = module.linear1.call(Tensor.randn(4, 10));
        Tensor normed = x.sub(module.runningMean).div(module.runningVar.add(1e-5).sqrt());
        double rel = 0;
        for (float v : normed.sub(x).abs().div(x.abs().clampMin(1e-12)).toFloatArray()) rel = Math.max(rel, v);
        assertTrue(rel < 6e-6 && rel > 4e-6, "max relative change " + rel);
    }
}
