package dev.nnlab.nn.functional;

import dev.nnlab.Fixtures;
import dev.nnlab.Fixtures.Fixture;
import dev.nnlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;

import static org.junit.jupiter.api.Assertions.assertNull;

/** F against PyTorch: forward values and input gradients from {@code fixtures_functional.py}. */
class FunctionalFixtureTest {
    /** Runs {@code op} on the fixture's inputs x0, x1, ..., then compares out and every grad_xi. */
    private static Fixture check(String name, double rtol, double atol, BiFunction<Fixture, Tensor[], Tensor> op) {
        Fixture f = Fixtures.load("functional/" + name);
        List<Tensor> inputs = new ArrayList<>();
        for (int i = 0; f.has("x" + i); i++) {
            Tensor x = f.tensor("x" + i);
            if (f.has("grad_x" + i)) x.requiresGrad_();
            inputs.add(x);
        }
        Tensor[] x = inputs.toArray(new Tensor[0]);
        Tensor out = op.apply(f, x);
        Fixtures.assertClose(f.tensor("out"), out, rtol, atol);
        out.backward(f.tensor("grad_out"));
        for (int i = 0; i < x.length; i++) {
            if (f.has("grad_x" + i)) Fixtures.assertClose(f.tensor("grad_x" + i), x[i].grad(), rtol, atol);
            else assertNull(x[i].grad());
        }
        return f;
    }

    private static Fixture check(String name, BiFunction<Fixture, Tensor[], Tensor> op) {
        return check(name, Fixtures.RTOL, Fixtures.ATOL, op);
    }

    private static int[] ints(String csv) {
        return Arrays.stream(csv.split(",")).mapToInt(Integer::parseInt).toArray();
    }

    private static int integer(Fixture f, String key) { return Integer.parseInt(f.meta(key)); }
    private static double real(Fixture f, String key) { return Double.parseDouble(f.meta(key)); }

    @Test
    void activations() {
        check("relu", (f, x) -> F.relu(x[0]));
        check("leaky_relu", (f, x) -> F.leakyRelu(x[0], 0.1));
        check("elu", (f, x) -> F.elu(x[0], 0.7));
        check("gelu", (f, x) -> F.gelu(x[0]));
        check("gelu_tanh", (f, x) -> F.gelu(x[0], "tanh"));
        check("selu", (f, x) -> F.selu(x[0]));
        check("silu", (f, x) -> F.silu(x[0]));
        check("sigmoid", (f, x) -> F.sigmoid(x[0]));
        check("tanh", (f, x) -> F.tanh(x[0]));
        check("softplus", (f, x) -> F.softplus(x[0], 2, 3));
    }

    @Test
    void softmaxAndLogSoftmax() {
        for (String dim : new String[] {"0", "1", "-1"}) {
            check("softmax_dim" + dim, (f, x) -> F.softmax(x[0], integer(f, "dim")));
            check("log_softmax_dim" + dim, (f, x) -> F.logSoftmax(x[0], integer(f, "dim")));
        }
    }

    @Test
    void convolutions() {
        for (String name : new String[] {"conv2d_basic", "conv2d_strided_grouped"}) {
            check(name, 1e-4, 1e-5, (f, x) -> F.conv2d(x[0], x[1], x[2], ints(f.meta("stride")), ints(f.meta("padding")),
                    ints(f.meta("dilation")), integer(f, "groups")));
        }
        check("conv1d", 1e-4, 1e-5, (f, x) -> F.conv1d(x[0], x[1], x[2], integer(f, "stride"), integer(f, "padding"),
                integer(f, "dilation"), integer(f, "groups")));
    }

    @Test
    void pooling() {
        check("max_pool2d", (f, x) -> F.maxPool2d(x[0], ints(f.meta("kernel")), ints(f.meta("stride")),
                ints(f.meta("padding")), ints(f.meta("dilation"))));
        check("avg_pool2d", (f, x) -> F.avgPool2d(x[0], ints(f.meta("kernel")), ints(f.meta("stride")), ints(f.meta("padding"))));
        check("adaptive_avg_pool2d", (f, x) -> F.adaptiveAvgPool2d(x[0], ints(f.meta("output"))));
    }

    @Test
    void batchNormTrainingUpdatesRunningStatsLikePyTorch() {
        Tensor[] stats = new Tensor[2];
        Fixture f = check("batch_norm_train", 1e-4, 1e-5, (fx, x) -> {
            stats[0] = fx.tensor("running_mean");
            stats[1] = fx.tensor("running_var");
            return F.batchNorm(x[0], stats[0], stats[1], x[1], x[2], true, real(fx, "momentum"), real(fx, "eps"));
        });
        Fixtures.assertClose(f.tensor("running_mean_after"), stats[0]);
        Fixtures.assertClose(f.tensor("running_var_after"), stats[1]);
        check("batch_norm_eval", 1e-4, 1e-5, (fx, x) -> F.batchNorm(x[0], fx.tensor("running_mean"),
                fx.tensor("running_var"), x[1], x[2], false, real(fx, "momentum"), real(fx, "eps")));
    }

    @Test
    void layerNorm() {
        check("layer_norm", 1e-4, 1e-5, (f, x) -> F.layerNorm(x[0], ints(f.meta("shape")), x[1], x[2], real(f, "eps")));
    }

    @Test
    void embeddingAndPadding() {
        check("embedding", (f, x) -> F.embedding(x[0], x[1], integer(f, "padding_idx")));
        for (String name : new String[] {"pad_constant", "pad_negative", "pad_reflect", "pad_replicate"}) {
            check(name, (f, x) -> F.pad(x[0], ints(f.meta("pad")), f.meta("mode"), real(f, "value")));
        }
    }

    @Test
    void regressionLosses() {
        check("mse_loss_mean", (f, x) -> F.mseLoss(x[0], x[1], f.meta("reduction")));
        check("mse_loss_none", (f, x) -> F.mseLoss(x[0], x[1], f.meta("reduction")));
        check("l1_loss_sum", (f, x) -> F.l1Loss(x[0], x[1], f.meta("reduction")));
    }

    @Test
    void classificationLosses() {
        BiFunction<Fixture, Tensor[], Tensor> ce = (f, x) -> F.crossEntropy(x[0], x[1],
                f.has("weight") ? f.tensor("weight") : null, integer(f, "ignore_index"), f.meta("reduction"),
                real(f, "label_smoothing"));
        for (String name : new String[] {"cross_entropy", "cross_entropy_full", "cross_entropy_none_smoothing",
            "cross_entropy_sum_weighted", "cross_entropy_spatial", "cross_entropy_probs", "cross_entropy_probs_spatial"}) {
            check(name, ce);
        }
        check("nll_loss", (f, x) -> F.nllLoss(x[0], x[1], f.tensor("weight"), integer(f, "ignore_index"), f.meta("reduction")));
        check("binary_cross_entropy", (f, x) -> F.binaryCrossEntropy(x[0], x[1], f.tensor("weight"), f.meta("reduction")));
        check("binary_cross_entropy_with_logits", (f, x) -> F.binaryCrossEntropyWithLogits(x[0], x[1], f.tensor("weight"),
                f.tensor("pos_weight"), f.meta("reduction")));
    }

    @Test
    void similarityAndBilinear() {
        check("normalize", (f, x) -> F.normalize(x[0], real(f, "p"), integer(f, "dim")));
        check("normalize_p1", (f, x) -> F.normalize(x[0], real(f, "p"), integer(f, "dim")));
        check("cosine_similarity", (f, x) -> F.cosineSimilarity(x[0], x[1], integer(f, "dim")));
        check("bilinear", 1e-4, 1e-5, (f, x) -> F.bilinear(x[0], x[1], x[2], x[3]));
    }
}
