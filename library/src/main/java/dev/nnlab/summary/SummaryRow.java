package dev.nnlab.summary;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One module call of a summary's forward pass. {@code params} counts the parameters first met in this call (a tied
 * parameter belongs to the first module that uses it), plus those of hidden descendants when the depth limit
 * folds them in; {@code multAdds} likewise. {@code seconds} is NaN unless times were measured.
 */
public record SummaryRow(String path, String type, int depth, List<int[]> inputShapes, List<int[]> outputShapes,
                         long params, int[] kernelShape, long multAdds, String trainable, boolean hasChildren,
                         double seconds) {
    public SummaryRow {
        inputShapes = List.copyOf(inputShapes);
        outputShapes = List.copyOf(outputShapes);
        kernelShape = kernelShape == null ? null : kernelShape.clone();
    }

    @Override
    public int[] kernelShape() {
        return kernelShape == null ? null : kernelShape.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SummaryRow r && path.equals(r.path) && type.equals(r.type) && depth == r.depth
                && sameShapes(inputShapes, r.inputShapes) && sameShapes(outputShapes, r.outputShapes)
                && params == r.params && Arrays.equals(kernelShape, r.kernelShape) && multAdds == r.multAdds
                && trainable.equals(r.trainable) && hasChildren == r.hasChildren
                && Double.compare(seconds, r.seconds) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(path, type, depth, params, multAdds, Arrays.hashCode(kernelShape));
    }

    private static boolean sameShapes(List<int[]> a, List<int[]> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!Arrays.equals(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }
}
