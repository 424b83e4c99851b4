package dev.nnlab.nn;

import dev.nnlab.tensor.Tensor;

/**
 * A tensor that a Module registers as learnable state, like {@code torch.nn.Parameter}: a leaf that
 * shares the data of the tensor it wraps and requires grad by default.
 */
public final class Parameter extends Tensor {
    public Parameter(Tensor data) {
        this(data, true);
    }

    public Parameter(Tensor data, boolean requiresGrad) {
        super(data, requiresGrad);
    }

    @Override
    public String toString() {
        return "Parameter containing:\n" + super.toString();
    }
}
