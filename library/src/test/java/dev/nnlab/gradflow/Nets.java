package dev.nnlab.gradflow;

import dev.nnlab.nn.Linear;
import dev.nnlab.nn.Module;
import dev.nnlab.nn.ReLU;
import dev.nnlab.nn.Sequential;
import dev.nnlab.nn.Sigmoid;
import dev.nnlab.nn.functional.F;
import dev.nnlab.optim.Optimizer;
import dev.nnlab.tensor.Tensor;

/** The models the gradient-flow tests diagnose: healthy and pathological ones, and a training loop. */
final class Nets {
    private Nets() { }

    /** 10-32-32-1 ReLU MLP with PyTorch's default init. */
    static Sequential healthy() {
        return new Sequential(new Linear(10, 32), new ReLU(), new Linear(32, 32), new ReLU(), new Linear(32, 1));
    }

    /** A deep sigmoid MLP: each layer multiplies the gradient by at most 0.25 times the weights. */
    static Sequential deepSigmoid(int layers) {
        Module[] m = new Module[2 * layers + 1];
        for (int i = 0; i < layers; i++) {
            m[2 * i] = new Linear(i == 0 ? 10 : 32, 32);
            m[2 * i + 1] = new Sigmoid();
        }
        m[2 * layers] = new Linear(32, 1);
        return new Sequential(m);
    }

    /** A ReLU MLP whose first bias is -8: every pre-activation is negative, so the first ReLU outputs only zeros. */
    static Sequential deadRelu() {
        Sequential s = healthy();
        ((Linear) s.get(0)).bias.detach().fill_(-8);
        return s;
    }

    /** Two Linears registered, one used in forward. */
    static final class Unused extends Module {
        final Linear used = registerModule("used", new Linear(10, 1));
        final Linear unused = registerModule("unused", new Linear(10, 1));

        @Override
        public Tensor forward(Tensor x) {
            return used.call(x);
        }
    }

    /** One step of the usual loop: zero grads, forward, MSE to a fixed target, backward, and a step when given. */
    static Tensor step(Module model, Optimizer opt, Tensor x, Tensor y) {
        if (opt != null) opt.zeroGrad();
        else model.zeroGrad();
        Tensor loss = F.mseLoss(model.call(x), y);
        loss.backward();
        if (opt != null) opt.step();
        return loss;
    }
}
