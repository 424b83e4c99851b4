package dev.nnlab.tensor;

import java.util.List;

/** Indexing by index tensors and masks, and joining/splitting (cat, stack, split, chunk). */
final class Index {
    private Index() { }

    static Tensor index(Tensor x, Tensor idx) {
        throw new UnsupportedOperationException("index: not implemented yet");
    }

    static Tensor indexSelect(Tensor x, int dim, Tensor idx) {
        throw new UnsupportedOperationException("indexSelect: not implemented yet");
    }

    static Tensor maskedSelect(Tensor x, Tensor mask) {
        throw new UnsupportedOperationException("maskedSelect: not implemented yet");
    }

    static Tensor gather(Tensor x, int dim, Tensor idx) {
        throw new UnsupportedOperationException("gather: not implemented yet");
    }

    static Tensor cat(List<Tensor> tensors, int dim) {
        throw new UnsupportedOperationException("cat: not implemented yet");
    }

    static Tensor stack(List<Tensor> tensors, int dim) {
        throw new UnsupportedOperationException("stack: not implemented yet");
    }

    static List<Tensor> split(Tensor x, int size, int dim) {
        throw new UnsupportedOperationException("split: not implemented yet");
    }

    static List<Tensor> split(Tensor x, int[] sizes, int dim) {
        throw new UnsupportedOperationException("split: not implemented yet");
    }

    static List<Tensor> chunk(Tensor x, int chunks, int dim) {
        throw new UnsupportedOperationException("chunk: not implemented yet");
    }
}
