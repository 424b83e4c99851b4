package dev.nnlab.optim;

import dev.nnlab.autograd.RemovableHandle;
import dev.nnlab.nn.Parameter;
import dev.nnlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class StepHookTest {
    @Test
    void preAndPostHooksSeeTheParametersBeforeAndAfterTheUpdate() {
        Parameter p = new Parameter(Tensor.tensor(1f, 2f));
        SGD opt = new SGD(List.of(p), 0.5);
        List<String> seen = new ArrayList<>();
        RemovableHandle a = Optimizer.registerOptimizerStepPreHook(o -> seen.add("global pre " + p.get(0)));
        RemovableHandle b = opt.registerStepPreHook(o -> seen.add("pre " + p.get(0)));
        RemovableHandle c = opt.registerStepPostHook(o -> seen.add("post " + p.get(0)));
        RemovableHandle d = Optimizer.registerOptimizerStepPostHook(o -> seen.add("global post " + (o == opt)));
        p.setGrad(Tensor.tensor(2f, 2f));
        opt.step();
        assertEquals(List.of("global pre 1.0", "pre 1.0", "post 0.0", "global post true"), seen);
        for (RemovableHandle h : List.of(a, b, c, d)) h.remove();
        opt.step();
        assertEquals(4, seen.size(), "removed hooks do not run");
    }
}
