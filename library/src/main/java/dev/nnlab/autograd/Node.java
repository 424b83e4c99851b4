package dev.nnlab.autograd;

import dev.nnlab.tensor.DType;
import dev.nnlab.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A backward function in the graph, what PyTorch calls a {@code grad_fn}. An op computes its outputs,
 * then {@link #attach} links them to their inputs with a {@link Backward} that maps the gradients of
 * the outputs to the gradients of the inputs. The engine ({@link Engine}) knows no op.
 */
public class Node {
    private static final AtomicLong SEQUENCE = new AtomicLong();

    /** Maps the gradients w.r.t. a node's outputs to the gradients w.r.t. its inputs (null where not needed). */
    @FunctionalInterface
    public interface Backward {
        Tensor[] apply(Tensor[] gradOutputs);
    }

    /** Sees, and may replace (non-null result), the gradients flowing into a node's outputs. */
    @FunctionalInterface
    public interface PreHook {
        Tensor[] apply(Tensor[] gradOutputs);
    }

    /** Sees, and may replace (non-null result), the gradients a node computed for its inputs. */
    @FunctionalInterface
    public interface PostHook {
        Tensor[] apply(Tensor[] gradInputs, Tensor[] gradOutputs);
    }

    /** An input of a node: the node that receives its gradient, and which of that node's outputs it was. */
    public record Edge(Node node, int outputNr) { }

    private final String name;
    final long sequenceNr;
    final Edge[] next;
    private final int[][] outputShapes;
    private final DType[] outputDtypes;
    private Backward backward;
    private Tensor[] saved;
    private int[] savedVersions;
    /** Whether each saved tensor is an output of this node; PyTorch names this node, not a later in-place one. */
    private boolean[] savedOutputs;
    boolean released;
    final Throwable forwardTrace;
    private List<List<TensorHook>> tensorHooks;
    private TensorHook[] retainGradHooks;
    final List<PreHook> preHooks = new ArrayList<>(0);
    final List<PostHook> postHooks = new ArrayList<>(0);

    /** A gradient hook registered on one output tensor of this node (a non-leaf tensor). */
    public interface TensorHook {
        Tensor apply(Tensor grad);
    }

    Node(String name, Edge[] next, int[][] outputShapes, DType[] outputDtypes, Backward backward) {
        this.name = name;
        this.sequenceNr = SEQUENCE.getAndIncrement();
        this.next = next;
        this.outputShapes = outputShapes;
        this.outputDtypes = outputDtypes;
        this.backward = backward;
        this.forwardTrace = AnomalyMode.isEnabled() ? new Throwable("Traceback of forward call that caused the error") : null;
    }

    /**
     * Records {@code outputs = op(inputs)} in the graph when grad mode is on and any input requires grad.
     * Returns the node, or null when nothing was recorded. Names follow PyTorch ({@code MulBackward0}).
     */
    public static Node attach(String name, Backward backward, Tensor[] outputs, Tensor... inputs) {
        if (!GradMode.isEnabled() || !anyRequiresGrad(inputs)) return null;
        Edge[] edges = new Edge[inputs.length];
        for (int i = 0; i < inputs.length; i++) edges[i] = edgeOf(inputs[i]);
        int[][] shapes = new int[outputs.length][];
        DType[] dtypes = new DType[outputs.length];
        for (int i = 0; i < outputs.length; i++) {
            shapes[i] = outputs[i].shape();
            dtypes[i] = outputs[i].dtype();
        }
        Node node = new Node(name, edges, shapes, dtypes, backward);
        for (int i = 0; i < outputs.length; i++) outputs[i].setGradFn(node, i);
        return node;
    }

    /** Single-output form of {@link #attach(String, Backward, Tensor[], Tensor...)}. */
    public static Node attach(String name, Backward backward, Tensor output, Tensor... inputs) {
        return attach(name, backward, new Tensor[] {output}, inputs);
    }

    public static boolean anyRequiresGrad(Tensor... inputs) {
        for (Tensor t : inputs) if (t != null && t.requiresGrad()) return true;
        return false;
    }

    /** The edge through which a gradient for {@code t} flows, or null if it needs none. */
    public static Edge edgeOf(Tensor t) {
        if (t == null || !t.requiresGrad()) return null;
        if (t.gradFn() != null) return new Edge(t.gradFn(), t.outputNr());
        return new Edge(t.gradAccumulator(), 0);
    }

    /**
     * Saves tensors for backward: if one of them is modified in place before backward runs,
     * backward fails with PyTorch's version-counter error. Returns this node.
     */
    public Node save(Tensor... tensors) {
        saved = tensors;
        savedVersions = new int[tensors.length];
        savedOutputs = new boolean[tensors.length];
        for (int i = 0; i < tensors.length; i++) {
            savedVersions[i] = tensors[i].version();
            savedOutputs[i] = tensors[i].gradFn() == this;
        }
        return this;
    }

    public String name() {
        return name;
    }

    public long sequenceNr() {
        return sequenceNr;
    }

    public int numOutputs() {
        return outputShapes.length;
    }

    public int numInputs() {
        return next.length;
    }

    /** The nodes that receive this node's input gradients (PyTorch's {@code next_functions}). */
    public List<Edge> nextFunctions() {
        return Arrays.asList(next);
    }

    /** Whether the input at {@code i} needs a gradient. */
    public boolean needsInputGrad(int i) {
        return next[i] != null;
    }

    int[] outputShape(int i) {
        return outputShapes[i];
    }

    DType outputDtype(int i) {
        return outputDtypes[i];
    }

    public RemovableHandle registerPreHook(PreHook hook) {
        preHooks.add(hook);
        return new RemovableHandle(() -> preHooks.remove(hook));
    }

    public RemovableHandle registerPostHook(PostHook hook) {
        postHooks.add(hook);
        return new RemovableHandle(() -> postHooks.remove(hook));
    }

    /** Registers a hook on the gradient of output {@code outputNr} (what {@code Tensor.registerHook} uses). */
    public RemovableHandle registerTensorHook(int outputNr, TensorHook hook) {
        if (tensorHooks == null) {
            tensorHooks = new ArrayList<>();
            for (int i = 0; i < outputShapes.length; i++) tensorHooks.add(new ArrayList<>(0));
        }
        List<TensorHook> hooks = tensorHooks.get(outputNr);
        hooks.add(hook);
        return new RemovableHandle(() -> hooks.remove(hook));
    }

    /** Sets the hook that fills a non-leaf's {@code .grad} ({@code retainGrad}); it runs after every other tensor hook. */
    public void setRetainGradHook(int outputNr, TensorHook hook) {
        if (retainGradHooks == null) retainGradHooks = new TensorHook[outputShapes.length];
        retainGradHooks[outputNr] = hook;
    }

    TensorHook retainGradHook(int i) {
        return retainGradHooks == null ? null : retainGradHooks[i];
    }

    /** The hooks on output {@code i}'s gradient, or an empty list. */
    List<TensorHook> tensorHooks(int i) {
        return tensorHooks == null ? List.of() : tensorHooks.get(i);
    }

    Tensor[] run(Tensor[] gradOutputs) {
        if (released) {
            throw new IllegalStateException("Trying to backward through the graph a second time (or directly access "
                    + "saved tensors after they have already been freed). Saved intermediate values of the graph are "
                    + "freed when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to "
                    + "backward through the graph a second time or if you need to access saved tensors after calling "
                    + "backward.");
        }
        if (saved != null) {
            for (int i = 0; i < saved.length; i++) {
                Tensor t = saved[i];
                if (t.version() != savedVersions[i]) {
                    Node producer = savedOutputs[i] ? this : t.gradFn();
                    throw new IllegalStateException("one of the variables needed for gradient computation has been "
                            + "modified by an inplace operation: [" + t.typeName() + " " + Arrays.toString(t.shape())
                            + "]" + (producer != null ? ", which is output " + t.outputNr() + " of "
                            + producer.name().replaceFirst("Backward\\d*$", "") + "," : "")
                            + " is at version " + t.version() + "; expected version " + savedVersions[i]
                            + " instead. Hint: " + (AnomalyMode.isEnabled()
                            ? "the backtrace further above shows the operation that failed to compute its gradient. "
                            + "The variable in question was changed in there or anywhere later. Good luck!"
                            : "enable anomaly detection to find the operation that failed to compute its gradient, "
                            + "with AnomalyMode.detectAnomaly()."));
                }
            }
        }
        return backward.apply(gradOutputs);
    }

    /** Frees saved tensors after a backward without retainGraph; a later backward through here fails. */
    void release() {
        if (saved != null) {
            saved = null;
            backward = null;
            released = true;
        }
    }

    @Override
    public String toString() {
        return "<" + name + ">";
    }
}
