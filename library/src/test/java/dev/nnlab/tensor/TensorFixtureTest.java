package dev.nnlab.tensor;

import dev.nnlab.Fixtures;
import dev.nnlab.Fixtures.Fixture;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

/** Forward values and gradients against PyTorch (fixtures_tensor.py): one line per case, like tinygrad's helper_test_op. */
class TensorFixtureTest {
    /** Runs the op of one fixture case on its inputs x0, x1, ... (float inputs require grad). */
    @FunctionalInterface
    interface Op {
        Tensor apply(Fixture f, Tensor[] x);
    }

    private static final Map<String, Op> OPS = new LinkedHashMap<>();

    private static void op(String name, Op op) { OPS.put(name, op); }

    static {
        op("add", (f, x) -> x[0].add(x[1]));
        op("sub", (f, x) -> x[0].sub(x[1]));
        op("mul", (f, x) -> x[0].mul(x[1]));
        op("div", (f, x) -> x[0].div(x[1]));
        op("pow", (f, x) -> x[0].pow(x[1]));
        op("maximum", (f, x) -> x[0].maximum(x[1]));
        op("minimum", (f, x) -> x[0].minimum(x[1]));
        op("add_scalar", (f, x) -> x[0].add(2.5));
        op("rsub_scalar", (f, x) -> x[0].rsub(2.5));
        op("rdiv_scalar", (f, x) -> x[0].rdiv(2));
        op("pow_scalar", (f, x) -> x[0].pow(3));
        op("pow_fractional", (f, x) -> x[0].pow(-1.5));
        op("neg", (f, x) -> x[0].neg());
        op("exp", (f, x) -> x[0].exp());
        op("expm1", (f, x) -> x[0].expm1());
        op("sin", (f, x) -> x[0].sin());
        op("cos", (f, x) -> x[0].cos());
        op("sigmoid", (f, x) -> x[0].sigmoid());
        op("tanh", (f, x) -> x[0].tanh());
        op("log", (f, x) -> x[0].log());
        op("log1p", (f, x) -> x[0].log1p());
        op("sqrt", (f, x) -> x[0].sqrt());
        op("rsqrt", (f, x) -> x[0].rsqrt());
        op("reciprocal", (f, x) -> x[0].reciprocal());
        op("abs", (f, x) -> x[0].abs());
        op("relu", (f, x) -> x[0].relu());
        op("sign", (f, x) -> x[0].sign());
        op("clamp", (f, x) -> x[0].clamp(num(f, "min"), num(f, "max")));
        op("sum_dim", (f, x) -> x[0].sum(dim(f)));
        op("mean_dim_keepdim", (f, x) -> x[0].mean(dim(f), true));
        op("var_all", (f, x) -> x[0].var());
        op("var_dim_biased", (f, x) -> x[0].var(dim(f), false, false));
        op("std_all", (f, x) -> x[0].std());
        op("std_dim_keepdim", (f, x) -> x[0].std(dim(f), true, true));
        op("prod_dim", (f, x) -> x[0].prod(dim(f), false));
        op("prod_all", (f, x) -> x[0].prod());
        op("norm_2", (f, x) -> x[0].norm(num(f, "p")));
        op("norm_1_dim", (f, x) -> x[0].norm(num(f, "p"), dim(f), false));
        op("norm_3_dim", (f, x) -> x[0].norm(num(f, "p"), dim(f), false));
        op("norm_inf", (f, x) -> x[0].norm(num(f, "p")));
        op("norm_inf_dim", (f, x) -> x[0].norm(num(f, "p"), dim(f), true));
        op("logsumexp_dim", (f, x) -> x[0].logsumexp(dim(f), false));
        op("max_all", (f, x) -> x[0].max());
        op("min_all", (f, x) -> x[0].min());
        op("max_dim", (f, x) -> withIndices(f, x[0].max(dim(f), false)));
        op("min_dim", (f, x) -> withIndices(f, x[0].min(dim(f), false)));
        op("matmul_2d", (f, x) -> x[0].matmul(x[1]));
        op("matmul_vec", (f, x) -> x[0].matmul(x[1]));
        op("matmul_vec_mat", (f, x) -> x[0].matmul(x[1]));
        op("matmul_dot", (f, x) -> x[0].matmul(x[1]));
        op("matmul_broadcast", (f, x) -> x[0].matmul(x[1]));
        op("bmm", (f, x) -> x[0].bmm(x[1]));
        op("linear", (f, x) -> Tensor.linear(x[0], x[1], x[2]));
        op("linear_3d", (f, x) -> Tensor.linear(x[0], x[1], x[2]));
        op("index_int", (f, x) -> x[0].index(Fixtures.load("tensor/index_int_idx").tensor("idx")));
        op("index_mask", (f, x) -> x[0].index(f.tensor("mask")));
        op("index_select", (f, x) -> x[0].indexSelect(dim(f), f.tensor("idx")));
        op("masked_select", (f, x) -> x[0].maskedSelect(f.tensor("mask")));
        op("gather", (f, x) -> x[0].gather(dim(f), f.tensor("idx")));
        op("where", (f, x) -> Tensor.where(f.tensor("cond"), x[0], x[1]));
        op("masked_fill", (f, x) -> x[0].maskedFill(f.tensor("mask"), num(f, "value")));
        op("cat_dim1", (f, x) -> Tensor.cat(dim(f), x));
        op("stack_dim1", (f, x) -> Tensor.stack(dim(f), x));
        op("split_size", (f, x) -> weighted(x[0].split((int) num(f, "size"), dim(f))));
        op("split_sizes", (f, x) -> weighted(x[0].split(ints(f.meta("sizes")), dim(f))));
        op("chunk", (f, x) -> weighted(x[0].chunk((int) num(f, "chunks"), dim(f))));
    }

    @TestFactory
    Stream<DynamicTest> opsMatchPyTorch() {
        return OPS.entrySet().stream().map(e -> dynamicTest(e.getKey(), () -> check(e.getKey(), e.getValue())));
    }

    private static void check(String name, Op op) {
        Fixture f = Fixtures.load("tensor/" + name);
        List<Tensor> in = new ArrayList<>();
        for (int i = 0; f.has("x" + i); i++) {
            Tensor t = f.tensor("x" + i);
            in.add(t.isFloatingPoint() ? t.requiresGrad_() : t);
        }
        Tensor[] x = in.toArray(new Tensor[0]);
        Tensor out = op.apply(f, x);
        Fixtures.assertClose(f.tensor("out"), out);
        assertEquals(f.tensor("out").dtype(), out.dtype());
        out.backward(f.tensor("grad_out"));
        for (int i = 0; i < x.length; i++) {
            if (!f.has("grad_x" + i)) continue;
            assertNotNull(x[i].grad(), name + ": x" + i + " got no gradient");
            Fixtures.assertClose(f.tensor("grad_x" + i), x[i].grad());
        }
    }

    @Test
    void argmaxAndArgmin() {
        Fixture f = Fixtures.load("tensor/argmax");
        Tensor x = f.tensor("x0");
        assertEquals(f.tensor("out").item(), x.argmax().item());
        assertArrayEquals(f.tensor("out_dim").toLongArray(), x.argmax(0, false).toLongArray());
        assertArrayEquals(f.tensor("out_min").toLongArray(), x.argmin(1, false).toLongArray());
    }

    @Test
    void comparisonsAndLogic() {
        Fixture f = Fixtures.load("tensor/compare");
        Tensor a = f.tensor("x0"), b = f.tensor("x1");
        Map<String, Tensor> got = new LinkedHashMap<>();
        got.put("eq", a.eq(b));
        got.put("ne", a.ne(b));
        got.put("lt", a.lt(b));
        got.put("le", a.le(b));
        got.put("gt", a.gt(b));
        got.put("ge", a.ge(b));
        got.put("gt_scalar", a.gt(2.5));
        got.put("isnan", a.isnan());
        got.put("isinf", a.isinf());
        got.put("isfinite", a.isfinite());
        got.put("and", a.gt(1.5).logicalAnd(b.gt(2)));
        got.put("or", a.gt(5).logicalOr(b.lt(2)));
        got.put("not", a.gt(1.5).logicalNot());
        got.put("any", a.gt(5).any());
        got.put("all", a.gt(0).all());
        got.forEach((k, v) -> {
            assertEquals(DType.BOOL, v.dtype(), k);
            assertArrayEquals(f.tensor(k).shape(), v.shape(), k);
            assertArrayEquals(f.tensor(k).toBooleanArray(), v.toBooleanArray(), k);
        });
    }

    private static Tensor withIndices(Fixture f, Tensor.ValuesIndices vi) {
        assertArrayEquals(f.tensor("indices").toLongArray(), vi.indices().toLongArray());
        return vi.values();
    }

    private static Tensor weighted(List<Tensor> parts) {
        Tensor[] scaled = new Tensor[parts.size()];
        for (int i = 0; i < scaled.length; i++) scaled[i] = parts.get(i).flatten().mul(i + 1);
        return Tensor.cat(0, scaled);
    }

    private static int dim(Fixture f) { return Integer.parseInt(f.meta("dim")); }

    private static double num(Fixture f, String key) {
        String v = f.meta(key);
        return v.equals("inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(v);
    }

    private static int[] ints(String csv) {
        String[] p = csv.split(",");
        int[] out = new int[p.length];
        for (int i = 0; i < p.length; i++) out[i] = Integer.parseInt(p[i].trim());
        return out;
    }
}
