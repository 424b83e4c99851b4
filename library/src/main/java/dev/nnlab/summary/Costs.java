package dev.nnlab.summary;

import dev.nnlab.nn.AdaptiveAvgPool2d;
import dev.nnlab.nn.AvgPool2d;
import dev.nnlab.nn.Bilinear;
import dev.nnlab.nn.Conv1d;
import dev.nnlab.nn.Conv2d;
import dev.nnlab.nn.Dropout;
import dev.nnlab.nn.Embedding;
import dev.nnlab.nn.Flatten;
import dev.nnlab.nn.Identity;
import dev.nnlab.nn.Linear;
import dev.nnlab.nn.LogSoftmax;
import dev.nnlab.nn.MaxPool2d;
import dev.nnlab.nn.Module;
import dev.nnlab.nn.Parameter;
import dev.nnlab.nn.ReLU;
import dev.nnlab.nn.Sigmoid;
import dev.nnlab.nn.Softmax;
import dev.nnlab.nn.Tanh;
import dev.nnlab.nn.Unflatten;
import dev.nnlab.tensor.Storage;
import dev.nnlab.tensor.Tensor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/** What a module call costs: multiply-adds, kernel shape, and the memory its activations take. */
final class Costs {
    private Costs() {
    }

    /**
     * torchinfo's mult-adds, right for inputs of any rank: a Linear's weight and bias count once per output row
     * (every leading dim, not only the batch: torchinfo #77), a convolution's once per output position
     * ({@code N * H_out * W_out}); an Embedding is a lookup (0); other parametric layers count their parameters once
     * per sample, as torchinfo does.
     */
    static long multAdds(Module m, Object output) {
        List<Parameter> own = m.parameters(false);
        if (own.isEmpty() || m instanceof Embedding) {
            return 0;
        }
        Tensor out = first(output);
        if (out == null || out.dim() == 0) {
            return 0;
        }
        long params = 0;
        for (Parameter p : own) {
            params += p.numel();
        }
        long perOutput;
        if (m instanceof Linear || m instanceof Bilinear) {
            perOutput = out.numel() / out.size(-1);
        } else if ((m instanceof Conv1d || m instanceof Conv2d) && out.dim() >= 2) {
            perOutput = out.numel() / out.size(1);
        } else {
            perOutput = out.size(0);
        }
        return params * perOutput;
    }

    /** The weight's shape with its first two dims swapped, as torchinfo shows a kernel; null without a weight. */
    static int[] kernelShape(Module m) {
        Parameter w = m.namedParameters("", false, true).get("weight");
        if (w == null) {
            return null;
        }
        int[] k = w.shape();
        if (k.length > 1) {
            int t = k[0];
            k[0] = k[1];
            k[1] = t;
        }
        return k;
    }

    static List<Tensor> tensors(Object o) {
        List<Tensor> out = new ArrayList<>();
        collect(o, out, 0);
        return out;
    }

    private static void collect(Object o, List<Tensor> out, int depth) {
        if (depth > 4 || o == null) {
            return;
        }
        if (o instanceof Tensor t) {
            out.add(t);
        } else if (o instanceof Object[] a) {
            for (Object x : a) {
                collect(x, out, depth + 1);
            }
        } else if (o instanceof Collection<?> c) {
            for (Object x : c) {
                collect(x, out, depth + 1);
            }
        } else if (o instanceof Map<?, ?> m) {
            for (Object x : m.values()) {
                collect(x, out, depth + 1);
            }
        }
    }

    static List<int[]> shapes(Object o) {
        List<int[]> out = new ArrayList<>();
        for (Tensor t : tensors(o)) {
            out.add(t.shape());
        }
        return out;
    }

    private static Tensor first(Object o) {
        List<Tensor> ts = tensors(o);
        return ts.isEmpty() ? null : ts.get(0);
    }

    static long bytes(List<Tensor> ts) {
        Map<Storage, Long> unique = new IdentityHashMap<>();
        for (Tensor t : ts) {
            unique.merge(t.storage(), bytes(t), Math::max);
        }
        long n = 0;
        for (long b : unique.values()) {
            n += b;
        }
        return n;
    }

    private static long bytes(Tensor t) {
        return (long) t.numel() * t.dtype().itemSize();
    }

    /** Bytes of the leaf layers' outputs, and of what their backward would keep, each storage once. */
    record Activations(long forward, long saved) { }

    /**
     * What autograd keeps for backward, by layer: a Linear or convolution its input, ReLU/Sigmoid/Tanh/Softmax
     * their output, Dropout in training its mask (a tensor like its input), max pooling its input and int64 indices; views and average
     * pooling nothing; any other leaf layer its inputs. A tensor kept by two layers (a ReLU's output is the next
     * Linear's input) counts once. Containers' own arithmetic between children is not seen.
     */
    static Activations activations(List<Summary.Call> calls) {
        List<Tensor> outputs = new ArrayList<>();
        List<Tensor> kept = new ArrayList<>();
        long fresh = 0;
        for (Summary.Call c : calls) {
            if (!c.children.isEmpty()) {
                continue;
            }
            Module m = c.module;
            List<Tensor> out = tensors(c.output);
            outputs.addAll(out);
            if (m instanceof Identity || m instanceof Flatten || m instanceof Unflatten || m instanceof AvgPool2d
                    || m instanceof AdaptiveAvgPool2d) {
                continue;
            }
            if (m instanceof ReLU || m instanceof Sigmoid || m instanceof Tanh || m instanceof Softmax
                    || m instanceof LogSoftmax) {
                kept.addAll(out);
            } else if (m instanceof Dropout) {
                if (c.training) {
                    for (Tensor t : out) {
                        fresh += bytes(t); // the scaled mask, in the input's dtype, as PyTorch's CPU dropout keeps it
                    }
                }
            } else if (m instanceof MaxPool2d) {
                kept.addAll(tensors(c.args));
                for (Tensor t : out) {
                    fresh += 8L * t.numel();
                }
            } else {
                kept.addAll(tensors(c.args));
            }
        }
        return new Activations(bytes(outputs), bytes(kept) + fresh);
    }
}
