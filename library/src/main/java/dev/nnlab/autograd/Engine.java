package dev.nnlab.autograd;

import dev.nnlab.tensor.Tensor;

import java.util.ArrayDeque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Runs backward: a topological walk from the root that calls each node once all its gradients have
 * arrived, newest node first (PyTorch's order on CPU). It knows no op.
 */
public final class Engine {
    private Engine() { }

    /** {@code root.backward(gradient, retainGraph)}. */
    public static void backward(Tensor root, Tensor gradient, boolean retainGraph) {
        if (!root.requiresGrad()) {
            throw new IllegalStateException("element 0 of tensors does not require grad and does not have a grad_fn");
        }
        if (gradient == null) {
            if (root.numel() != 1) throw new IllegalStateException("grad can be implicitly created only for scalar outputs");
            gradient = Tensor.onesLike(root);
        } else if (!java.util.Arrays.equals(gradient.shape(), root.shape())) {
            throw new IllegalArgumentException("Mismatch in shape: grad_output[0] has a shape of "
                    + Tensor.shapeString(gradient.shape()) + " and output[0] has a shape of "
                    + Tensor.shapeString(root.shape()) + ".");
        }
        Node.Edge rootEdge = Node.edgeOf(root);
        try (var g = GradMode.set(false)) {
            run(rootEdge, gradient.detach(), retainGraph);
        }
    }

    private static void run(Node.Edge root, Tensor gradient, boolean retainGraph) {
        Map<Node, Integer> dependencies = countDependencies(root.node());
        Map<Node, Tensor[]> buffers = new IdentityHashMap<>();
        PriorityQueue<Node> ready = new PriorityQueue<>((a, b) -> Long.compare(b.sequenceNr, a.sequenceNr));
        Tensor[] rootBuffer = new Tensor[root.node().numOutputs()];
        rootBuffer[root.outputNr()] = gradient;
        buffers.put(root.node(), rootBuffer);
        ready.add(root.node());
        ArrayDeque<Node> visited = new ArrayDeque<>();
        while (!ready.isEmpty()) {
            Node node = ready.poll();
            Tensor[] grads = buffers.remove(node);
            visited.add(node);
            Tensor[] gradInputs = call(node, grads);
            for (int i = 0; i < node.next.length; i++) {
                Node.Edge e = node.next[i];
                if (e == null) continue;
                Tensor gi = i < gradInputs.length ? gradInputs[i] : null;
                if (gi != null) {
                    Tensor[] buf = buffers.computeIfAbsent(e.node(), n -> new Tensor[n.numOutputs()]);
                    int slot = e.outputNr();
                    buf[slot] = buf[slot] == null ? gi : buf[slot].add(gi);
                }
                int left = dependencies.merge(e.node(), -1, Integer::sum);
                if (left == 0) {
                    if (buffers.containsKey(e.node())) ready.add(e.node());
                    else skipUnreached(e.node(), dependencies, buffers, ready);
                }
            }
        }
        if (!retainGraph) for (Node n : visited) n.release();
    }

    /** A node whose inputs all produced no gradient is not called, but its own edges still count down. */
    private static void skipUnreached(Node node, Map<Node, Integer> deps, Map<Node, Tensor[]> buffers,
                                      PriorityQueue<Node> ready) {
        for (Node.Edge e : node.next) {
            if (e == null) continue;
            int left = deps.merge(e.node(), -1, Integer::sum);
            if (left == 0) {
                if (buffers.containsKey(e.node())) ready.add(e.node());
                else skipUnreached(e.node(), deps, buffers, ready);
            }
        }
    }

    private static Tensor[] call(Node node, Tensor[] grads) {
        for (int i = 0; i < grads.length; i++) {
            List<Node.TensorHook> hooks = node.tensorHooks(i);
            if (!hooks.isEmpty()) for (Node.TensorHook hook : List.copyOf(hooks)) {
                if (grads[i] == null) break;
                Tensor r = hook.apply(grads[i]);
                if (r != null) grads[i] = r;
            }
            Node.TensorHook retain = node.retainGradHook(i);
            if (retain != null && grads[i] != null) retain.apply(grads[i]);
        }
        if (!(node instanceof AccumulateGrad)) {
            for (int i = 0; i < grads.length; i++) {
                if (grads[i] == null) grads[i] = Tensor.zeros(node.outputDtype(i), node.outputShape(i));
            }
        }
        if (!node.preHooks.isEmpty()) for (Node.PreHook hook : List.copyOf(node.preHooks)) {
            Tensor[] r = hook.apply(grads);
            if (r != null) grads = r;
        }
        Tensor[] gradInputs = node.run(grads);
        if (AnomalyMode.isEnabled()) checkFinite(node, gradInputs);
        if (!node.postHooks.isEmpty()) for (Node.PostHook hook : List.copyOf(node.postHooks)) {
            Tensor[] r = hook.apply(gradInputs, grads);
            if (r != null) gradInputs = r;
        }
        return gradInputs;
    }

    private static void checkFinite(Node node, Tensor[] gradInputs) {
        for (int i = 0; i < gradInputs.length; i++) {
            Tensor g = gradInputs[i];
            if (g == null || !g.dtype().isFloatingPoint()) continue;
            String bad = g.isnan().any().item() != 0 ? "nan" : g.isinf().any().item() != 0 ? "inf" : null;
            if (bad != null) {
                IllegalStateException e = new IllegalStateException("Function '" + node.name() + "' returned " + bad
                        + " values in its " + i + "th output.");
                if (node.forwardTrace != null) e.addSuppressed(node.forwardTrace);
                throw e;
            }
        }
    }

    private static Map<Node, Integer> countDependencies(Node root) {
        Map<Node, Integer> deps = new IdentityHashMap<>();
        Map<Node, Boolean> seen = new IdentityHashMap<>();
        ArrayDeque<Node> stack = new ArrayDeque<>();
        stack.push(root);
        seen.put(root, true);
        while (!stack.isEmpty()) {
            Node n = stack.pop();
            for (Node.Edge e : n.next) {
                if (e == null) continue;
                deps.merge(e.node(), 1, Integer::sum);
                if (seen.put(e.node(), true) == null) stack.push(e.node());
            }
        }
        return deps;
    }
}
