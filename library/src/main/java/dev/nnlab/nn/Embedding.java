package dev.nnlab.nn;

import dev.nnlab.autograd.NoGrad;
import dev.nnlab.nn.functional.F;
import dev.nnlab.nn.init.Init;
import dev.nnlab.tensor.Tensor;

/** A lookup table of {@code numEmbeddings} vectors indexed by int64 tensors, like {@code torch.nn.Embedding}. */
public final class Embedding extends Module {
    public final int numEmbeddings;
    public final int embeddingDim;
    /** The row that gets no gradient and starts at zero, or null. */
    public final Integer paddingIdx;
    public Parameter weight;

    public Embedding(int numEmbeddings, int embeddingDim) {
        this(numEmbeddings, embeddingDim, null);
    }

    public Embedding(int numEmbeddings, int embeddingDim, Integer paddingIdx) {
        if (paddingIdx != null) {
            if (paddingIdx >= numEmbeddings || paddingIdx < -numEmbeddings) {
                throw new IllegalArgumentException("Padding_idx must be within num_embeddings");
            }
            if (paddingIdx < 0) paddingIdx += numEmbeddings;
        }
        this.numEmbeddings = numEmbeddings;
        this.embeddingDim = embeddingDim;
        this.paddingIdx = paddingIdx;
        weight = registerParameter("weight", new Parameter(Tensor.empty(numEmbeddings, embeddingDim)));
        resetParameters();
    }

    /** N(0, 1), with the padding row zeroed, as PyTorch does. */
    public void resetParameters() {
        Init.normal_(weight);
        if (paddingIdx != null) {
            try (var g = NoGrad.enter()) {
                weight.select(0, paddingIdx).fill_(0);
            }
        }
    }

    @Override
    public Tensor forward(Tensor indices) {
        return paddingIdx == null ? F.embedding(indices, weight) : F.embedding(indices, weight, paddingIdx);
    }

    @Override
    public String extraRepr() {
        return numEmbeddings + ", " + embeddingDim + (paddingIdx != null ? ", padding_idx=" + paddingIdx : "");
    }
}
