package dev.nnlab.hooks;

import dev.nnlab.nn.Linear;
import dev.nnlab.nn.Module;
import dev.nnlab.nn.Parameter;
import dev.nnlab.nn.ReLU;
import dev.nnlab.nn.Sequential;
import dev.nnlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Clipping by hooks gives what clip_grad_norm_ after backward gives, computed here from the unclipped gradients. */
class ClipperTest {
    /** The article's SampleModel (listing 07's completion): 10-20-20-1 with ReLUs. */
    static Module sample() {
        return new Sequential(new Linear(10, 20), new ReLU(), new Linear(20, 20), new ReLU(), new Linear(20, 1));
    }

    static List<float[]> grads(Module m) {
        List<float[]> out = new ArrayList<>();
        for (Parameter p : m.parameters()) out.add(p.grad().toFloatArray());
        return out;
    }

    static double totalNorm(List<float[]> grads) {
        double s = 0;
        for (float[] g : grads) for (float v : g) s += (double) v * v;
        return Math.sqrt(s);
    }

    static void step(Module m, Tensor x, Tensor target) {
        m.call(x).sub(target).pow(2).sum().backward();
    }

    @Test
    void everyParameterGradientIsScaledByOneCoefficientToTheMaxNorm() {
        Tensor.manualSeed(0);
        Module model = sample();
        Tensor x = Tensor.randn(32, 10), target = Tensor.randn(32, 1);
        step(model, x, target);
        List<float[]> base = grads(model);
        double total = totalNorm(base);
        assertTrue(total > 1, "the article's setting needs clipping: norm " + total);
        model.zeroGrad();

        Clipper clip = Clipper.attach(model, 1.0);
        step(model, x, target);
        List<float[]> clipped = grads(model);
        double coef = 1.0 / (total + 1e-6);
        for (int i = 0; i < base.size(); i++) {
            for (int j = 0; j < base.get(i).length; j++) {
                assertEquals(base.get(i)[j] * coef, clipped.get(i)[j], 1e-6 * Math.abs(base.get(i)[j] * coef) + 1e-9);
            }
        }
        assertEquals(1.0, totalNorm(clipped), 1e-5);
        assertEquals(total, clip.lastNorm(), 1e-4 * total);
        assertEquals(1, clip.backwards());
        assertEquals(1, clip.clipped());

        clip.remove();
        model.zeroGrad();
        step(model, x, target);
        List<float[]> again = grads(model);
        for (int i = 0; i < base.size(); i++) assertArrayEquals(base.get(i), again.get(i));
        assertEquals(0, model.registeredHooks().size());
    }

    @Test
    void belowTheMaxNormNothingChangesAndARetainedGraphIsClippedOnEachBackward() {
        Tensor.manualSeed(1);
        Module model = sample();
        Tensor x = Tensor.randn(8, 10), target = Tensor.randn(8, 1);
        step(model, x, target);
        List<float[]> base = grads(model);
        double total = totalNorm(base);
        model.zeroGrad();

        Clipper loose = Clipper.attach(model, 10 * total);
        step(model, x, target);
        for (int i = 0; i < base.size(); i++) assertArrayEquals(base.get(i), grads(model).get(i));
        assertEquals(0, loose.clipped());
        loose.remove();

        model.zeroGrad();
        Clipper tight = Clipper.attach(model, 0.5);
        Tensor loss = model.call(x).sub(target).pow(2).sum();
        loss.backward(null, true);
        assertEquals(0.5, totalNorm(grads(model)), 1e-5);
        loss.backward();
        assertEquals(0.5, totalNorm(grads(model)), 1e-5);
        assertEquals(2, tight.backwards());
    }

    @Test
    void badMaxNormOrNothingToClipIsAnErrorThatAttachesNothing() {
        Module model = sample();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Clipper.attach(model, 0));
        assertEquals("max_norm must be a positive finite number, got 0.0", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Clipper.attach(model, Double.NaN));
        model.requiresGrad_(false);
        e = assertThrows(IllegalArgumentException.class, () -> Clipper.attach(model, 1));
        assertTrue(e.getMessage().contains("no parameter that requires grad"), e.getMessage());
        assertEquals(0, model.registeredHooks().size());
        assertFalse(Clipper.attached(model).iterator().hasNext());
    }

    @Test
    void theHookTableNamesTheClipper() {
        Module model = sample();
        Clipper c = Clipper.attach(model, 2.0);
        assertEquals(List.of(c), Clipper.attached(model));
        assertEquals("clip(max_norm=2.0) + 6 parameter hooks", HookTable.of(model).stringColumn("owner").get(0));
        assertTrue(c.describe().contains("clip_grad_norm_(model.parameters(), 2.0)"), c.describe());
    }
}
