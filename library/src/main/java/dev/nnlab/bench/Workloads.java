package dev.nnlab.bench;

import dev.nnlab.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/** The benchmark rows: the article's container workloads (batch 64) and large sgemm, as PyTorch's anchor runs them. */
public final class Workloads {
    private Workloads() { }

    /** A named, timed statement; {@code flops} per run (0 when not meaningful) gives a GFLOPS figure. */
    public record Workload(String name, String mode, Runnable body, double flops) { }

    public static List<Workload> all() {
        List<Workload> rows = new ArrayList<>();
        for (int n : new int[] {256, 1024}) {
            Tensor a = Tensor.randn(n, n), b = Tensor.randn(n, n);
            rows.add(new Workload("sgemm " + n, "fwd", () -> a.mm(b), 2.0 * n * n * n));
        }
        return rows;
    }
}
