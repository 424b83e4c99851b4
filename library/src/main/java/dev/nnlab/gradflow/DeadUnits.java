package dev.nnlab.gradflow;

import dev.nnlab.tensor.DType;
import dev.nnlab.tensor.Tensor;

/**
 * A ReLU-family module's output in one forward: of its {@code units} (output positions past the batch dimension),
 * {@code dead} were zero for more than {@code deadBatch} of the batch.
 *
 * @param layer the module's path, like {@code 1}
 * @param type  its class, like {@code ReLU}
 */
public record DeadUnits(String layer, String type, int units, int dead, double deadBatch) {

    /** The fraction of units that are dead. */
    public double fraction() {
        return units == 0 ? 0 : (double) dead / units;
    }

    /** Counts the dead units of {@code out}, whose first dimension is the batch (a 1-D output is one sample). */
    static DeadUnits measure(String layer, String type, Tensor out, double deadBatch) {
        int batch = out.dim() < 2 ? 1 : out.size(0);
        int units = batch == 0 ? 0 : out.numel() / batch;
        int[] zeros = new int[units];
        if (out.dtype() == DType.FLOAT64) {
            double[] v = out.toDoubleArray();
            for (int b = 0, i = 0; b < batch; b++) for (int u = 0; u < units; u++, i++) zeros[u] += v[i] == 0 ? 1 : 0;
        } else {
            float[] v = out.toFloatArray();
            for (int b = 0, i = 0; b < batch; b++) for (int u = 0; u < units; u++, i++) zeros[u] += v[i] == 0 ? 1 : 0;
        }
        int dead = 0;
        for (int z : zeros) if (z == batch || z > deadBatch * batch) dead++;
        return new DeadUnits(layer, type, units, dead, deadBatch);
    }

    DeadUnits plus(DeadUnits other) {
        return new DeadUnits(layer, type, units + other.units, dead + other.dead, deadBatch);
    }
}
