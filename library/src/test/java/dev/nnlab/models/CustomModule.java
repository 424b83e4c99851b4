package dev.nnlab.models;

import dev.nnlab.nn.Linear;
import dev.nnlab.nn.Module;
import dev.nnlab.tensor.Tensor;

/** ARTICLE.md §1.1's {@code CustomModule}: two Linears and two registered buffers that normalise between them. */
public final class CustomModule extends Module {
    public final Linear linear1;
    public final Linear linear2;
    public final Tensor runningMean;
    public final Tensor runningVar;
    /** Not registered, so not state (the article's point). */
    public final String customAttribute = "This is not a parameter";

    public CustomModule(int inputDim, int hiddenDim, int outputDim) {
        linear1 = registerModule("linear1", new Linear(inputDim, hiddenDim));
        linear2 = registerModule("linear2", new Linear(hiddenDim, outputDim));
        runningMean = registerBuffer("running_mean", Tensor.zeros(hiddenDim));
        runningVar = registerBuffer("running_var", Tensor.ones(hiddenDim));
    }

    @Override
    public Tensor forward(Tensor x) {
        x = linear1.call(x);
        x = x.sub(runningMean).div(runningVar.add(1e-5).sqrt());
        return linear2.call(x);
    }
}
