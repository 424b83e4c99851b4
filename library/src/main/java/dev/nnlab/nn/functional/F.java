package dev.nnlab.nn.functional;

import dev.nnlab.tensor.Activation;
import dev.nnlab.tensor.Conv;
import dev.nnlab.tensor.DropoutOps;
import dev.nnlab.tensor.EmbeddingOps;
import dev.nnlab.tensor.Generator;
import dev.nnlab.tensor.Loss;
import dev.nnlab.tensor.Norm;
import dev.nnlab.tensor.Pad;
import dev.nnlab.tensor.Pool;
import dev.nnlab.tensor.SoftmaxOps;
import dev.nnlab.tensor.Tensor;

/** Stateless neural-network functions with autograd, like {@code torch.nn.functional}. */
public final class F {
    private F() { }

    // ---------------------------------------------------------------- activations

    public static Tensor relu(Tensor x) { return x.relu(); }
    public static Tensor relu_(Tensor x) { return x.relu_(); }
    public static Tensor leakyRelu(Tensor x, double slope) { return Activation.leakyRelu(x, slope); }
    public static Tensor leakyRelu(Tensor x) { return Activation.leakyRelu(x, 0.01); }
    public static Tensor elu(Tensor x, double alpha) { return Activation.elu(x, alpha); }
    public static Tensor elu(Tensor x) { return Activation.elu(x, 1.0); }
    public static Tensor gelu(Tensor x) { return Activation.gelu(x, "none"); }
    /** GELU, exact ("none") or with the tanh approximation ("tanh"). */
    public static Tensor gelu(Tensor x, String approximate) { return Activation.gelu(x, approximate); }
    public static Tensor selu(Tensor x) { return Activation.selu(x); }
    public static Tensor silu(Tensor x) { return Activation.silu(x); }
    public static Tensor sigmoid(Tensor x) { return x.sigmoid(); }
    public static Tensor tanh(Tensor x) { return x.tanh(); }
    public static Tensor softplus(Tensor x) { return Activation.softplus(x, 1, 20); }
    public static Tensor softplus(Tensor x, double beta, double threshold) { return Activation.softplus(x, beta, threshold); }
    public static Tensor softmax(Tensor x, int dim) { return SoftmaxOps.softmax(x, dim); }
    public static Tensor logSoftmax(Tensor x, int dim) { return SoftmaxOps.logSoftmax(x, dim); }

    /** Gumbel-softmax sample; with {@code hard} a one-hot forward with the soft sample's gradient. */
    public static Tensor gumbelSoftmax(Tensor logits, double tau, boolean hard, int dim) {
        return SoftmaxOps.gumbelSoftmax(logits, tau, hard, dim, Generator.global());
    }

    public static Tensor gumbelSoftmax(Tensor logits, double tau, boolean hard, int dim, Generator g) {
        return SoftmaxOps.gumbelSoftmax(logits, tau, hard, dim, g);
    }

    // ---------------------------------------------------------------- dropout

    public static Tensor dropout(Tensor x, double p, boolean training) { return DropoutOps.dropout(x, p, training, Generator.global()); }
    public static Tensor dropout(Tensor x, double p, boolean training, Generator g) { return DropoutOps.dropout(x, p, training, g); }
    public static Tensor dropout(Tensor x, double p) { return DropoutOps.dropout(x, p, true, Generator.global()); }

    // ---------------------------------------------------------------- linear and convolution

    public static Tensor linear(Tensor x, Tensor w, Tensor b) { return Tensor.linear(x, w, b); }

    /** {@code y_k = x1^T W_k x2 + b_k} for weight (out, in1, in2); like {@code F.bilinear}. */
    public static Tensor bilinear(Tensor x1, Tensor x2, Tensor w, Tensor b) {
        int out = w.size(0), in1 = w.size(1), in2 = w.size(2);
        int[] lead = java.util.Arrays.copyOf(x1.shape(), x1.dim() - 1);
        Tensor a = x1.reshape(-1, in1).mm(w.permute(1, 0, 2).reshape(in1, out * in2)).view(-1, out, in2);
        Tensor y = a.mul(x2.reshape(-1, 1, in2)).sum(2);
        if (b != null) y = y.add(b);
        int[] shape = java.util.Arrays.copyOf(lead, lead.length + 1);
        shape[lead.length] = out;
        return y.reshape(shape);
    }

    public static Tensor conv1d(Tensor x, Tensor w, Tensor b, int stride, int padding, int dilation, int groups) {
        return Conv.conv1d(x, w, b, stride, padding, dilation, groups);
    }

    public static Tensor conv1d(Tensor x, Tensor w, Tensor b) { return Conv.conv1d(x, w, b, 1, 0, 1, 1); }

    public static Tensor conv2d(Tensor x, Tensor w, Tensor b, int[] stride, int[] padding, int[] dilation, int groups) {
        return Conv.conv2d(x, w, b, stride, padding, dilation, groups);
    }

    public static Tensor conv2d(Tensor x, Tensor w, Tensor b) {
        return Conv.conv2d(x, w, b, new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1}, 1);
    }

    /** conv2d with the same stride and padding on both axes, like {@code F.conv2d(x, w, b, stride=2, padding=1)}. */
    public static Tensor conv2d(Tensor x, Tensor w, Tensor b, int stride, int padding) {
        return conv2d(x, w, b, stride, padding, 1, 1);
    }

    public static Tensor conv2d(Tensor x, Tensor w, Tensor b, int stride, int padding, int dilation, int groups) {
        return Conv.conv2d(x, w, b, new int[] {stride, stride}, new int[] {padding, padding},
                new int[] {dilation, dilation}, groups);
    }

    // ---------------------------------------------------------------- pooling

    public static Tensor maxPool2d(Tensor x, int[] kernel, int[] stride, int[] padding) {
        return Pool.maxPool2d(x, kernel, stride, padding, new int[] {1, 1});
    }

    public static Tensor maxPool2d(Tensor x, int[] kernel, int[] stride, int[] padding, int[] dilation) {
        return Pool.maxPool2d(x, kernel, stride, padding, dilation);
    }

    public static Tensor maxPool2d(Tensor x, int kernel) { return Pool.maxPool2d(x, new int[] {kernel}, null, null, null); }

    public static Tensor maxPool2d(Tensor x, int kernel, int stride, int padding) {
        return Pool.maxPool2d(x, new int[] {kernel}, new int[] {stride}, new int[] {padding}, null);
    }

    public static Tensor avgPool2d(Tensor x, int[] kernel, int[] stride, int[] padding) {
        return Pool.avgPool2d(x, kernel, stride, padding);
    }

    public static Tensor avgPool2d(Tensor x, int kernel) { return Pool.avgPool2d(x, new int[] {kernel}, null, null); }

    public static Tensor avgPool2d(Tensor x, int kernel, int stride, int padding) {
        return Pool.avgPool2d(x, new int[] {kernel}, new int[] {stride}, new int[] {padding});
    }

    public static Tensor adaptiveAvgPool2d(Tensor x, int outputSize) {
        return Pool.adaptiveAvgPool2d(x, new int[] {outputSize, outputSize});
    }
    public static Tensor adaptiveAvgPool2d(Tensor x, int[] outputSize) { return Pool.adaptiveAvgPool2d(x, outputSize); }

    // ---------------------------------------------------------------- normalization

    /** Batch norm over dim 1; running statistics (may be null) are updated in place when training. */
    public static Tensor batchNorm(Tensor x, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
                                   boolean training, double momentum, double eps) {
        return Norm.batchNorm(x, runningMean, runningVar, weight, bias, training, momentum, eps);
    }

    public static Tensor layerNorm(Tensor x, int[] normalizedShape, Tensor weight, Tensor bias, double eps) {
        return Norm.layerNorm(x, normalizedShape, weight, bias, eps);
    }

    public static Tensor layerNorm(Tensor x, int[] normalizedShape) { return Norm.layerNorm(x, normalizedShape, null, null, 1e-5); }

    /** {@code x / max(||x||_p, eps)} along {@code dim} with eps 1e-12; like {@code F.normalize}. */
    public static Tensor normalize(Tensor x, double p, int dim) {
        return x.div(x.norm(p, dim, true).clampMin(1e-12).expandAs(x));
    }

    public static Tensor normalize(Tensor x) { return normalize(x, 2, 1); }

    /** Cosine similarity along {@code dim}, each norm clamped at eps 1e-8. */
    public static Tensor cosineSimilarity(Tensor a, Tensor b, int dim) {
        Tensor na = a.norm(2, dim, true).clampMin(1e-8), nb = b.norm(2, dim, true).clampMin(1e-8);
        return a.div(na).mul(b.div(nb)).sum(dim);
    }

    // ---------------------------------------------------------------- embedding, one-hot, padding

    public static Tensor embedding(Tensor indices, Tensor weight) { return EmbeddingOps.embedding(indices, weight, null); }

    /** Embedding lookup whose {@code paddingIdx} row gets no gradient. */
    public static Tensor embedding(Tensor indices, Tensor weight, int paddingIdx) {
        return EmbeddingOps.embedding(indices, weight, paddingIdx);
    }

    public static Tensor oneHot(Tensor indices, int numClasses) { return EmbeddingOps.oneHot(indices, numClasses); }
    /** Constant padding; {@code pad} lists (left, right) pairs from the last dim backwards. */
    public static Tensor pad(Tensor x, int[] pad, double value) { return Pad.pad(x, pad, "constant", value); }
    public static Tensor pad(Tensor x, int[] pad) { return Pad.pad(x, pad, "constant", 0); }
    /** Padding with mode "constant", "reflect", "replicate" or "circular". */
    public static Tensor pad(Tensor x, int[] pad, String mode, double value) { return Pad.pad(x, pad, mode, value); }

    // ---------------------------------------------------------------- losses

    public static Tensor mseLoss(Tensor a, Tensor b) { return Loss.mseLoss(a, b, "mean"); }
    public static Tensor mseLoss(Tensor a, Tensor b, String reduction) { return Loss.mseLoss(a, b, reduction); }
    public static Tensor l1Loss(Tensor a, Tensor b) { return l1Loss(a, b, "mean"); }
    public static Tensor l1Loss(Tensor a, Tensor b, String reduction) { return Loss.reduce(a.sub(b).abs(), reduction); }

    public static Tensor crossEntropy(Tensor logits, Tensor target) {
        return crossEntropy(logits, target, null, -100, "mean", 0);
    }

    /**
     * Cross-entropy of logits (class dim 1, or 0 when unbatched) against int64 class indices or, for a floating
     * target of the logits' shape, class probabilities.
     */
    public static Tensor crossEntropy(Tensor logits, Tensor target, Tensor weight, int ignoreIndex, String reduction,
                                      double labelSmoothing) {
        if (labelSmoothing < 0 || labelSmoothing > 1) {
            throw new IllegalArgumentException("label_smoothing must be between 0.0 and 1.0. Got: " + labelSmoothing);
        }
        int classDim = logits.dim() == 1 ? 0 : 1;
        Tensor logp = SoftmaxOps.logSoftmax(logits, classDim);
        if (!target.isFloatingPoint() || !java.util.Arrays.equals(logits.shape(), target.shape())) {
            return Loss.nllLoss(logp, target, weight, ignoreIndex, reduction, labelSmoothing);
        }
        int ch = logits.size(classDim);
        Tensor q = labelSmoothing > 0 ? target.mul(1 - labelSmoothing).add(labelSmoothing / ch) : target;
        Tensor prod = logp.mul(q);
        if (weight != null) {
            int[] ws = new int[logits.dim()];
            java.util.Arrays.fill(ws, 1);
            ws[classDim] = ch;
            prod = prod.mul(weight.reshape(ws));
        }
        return Loss.reduce(prod.sum(classDim).neg(), reduction);
    }

    public static Tensor nllLoss(Tensor logProbs, Tensor target) { return Loss.nllLoss(logProbs, target, null, -100, "mean", 0); }

    public static Tensor nllLoss(Tensor logProbs, Tensor target, Tensor weight, int ignoreIndex, String reduction) {
        return Loss.nllLoss(logProbs, target, weight, ignoreIndex, reduction, 0);
    }

    public static Tensor binaryCrossEntropy(Tensor p, Tensor target) { return Loss.binaryCrossEntropy(p, target, null, "mean"); }

    public static Tensor binaryCrossEntropy(Tensor p, Tensor target, Tensor weight, String reduction) {
        return Loss.binaryCrossEntropy(p, target, weight, reduction);
    }

    public static Tensor binaryCrossEntropyWithLogits(Tensor logits, Tensor target) {
        return Loss.binaryCrossEntropyWithLogits(logits, target, null, null, "mean");
    }

    public static Tensor binaryCrossEntropyWithLogits(Tensor logits, Tensor target, Tensor weight, Tensor posWeight,
                                                      String reduction) {
        return Loss.binaryCrossEntropyWithLogits(logits, target, weight, posWeight, reduction);
    }
}
