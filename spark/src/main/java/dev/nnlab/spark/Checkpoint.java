package dev.nnlab.spark;

import dev.nnlab.nn.Module;
import dev.nnlab.optim.Optimizer;
import dev.nnlab.tensor.Tensor;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** A data-parallel run after {@code step} steps: weights, optimizer state and losses, written atomically. */
record Checkpoint(int step, LinkedHashMap<String, Blob> model, Map<Integer, Map<String, Object>> optimizerState,
        List<Map<String, Object>> paramGroups, double[] losses) implements Serializable {

    static Checkpoint of(int step, Module m, Optimizer opt, double[] losses) {
        Optimizer.StateDict sd = opt.stateDict();
        Map<Integer, Map<String, Object>> state = new LinkedHashMap<>();
        sd.state().forEach((k, v) -> state.put(k, pack(v)));
        List<Map<String, Object>> groups = new ArrayList<>();
        sd.paramGroups().forEach(g -> groups.add(pack(g)));
        return new Checkpoint(step, Blob.of(m.stateDict()), state, groups, losses.clone());
    }

    void restore(Module m, Optimizer opt) {
        m.loadStateDict(Blob.tensors(model), true);
        Map<Integer, Map<String, Object>> state = new LinkedHashMap<>();
        optimizerState.forEach((k, v) -> state.put(k, unpack(v)));
        List<Map<String, Object>> groups = new ArrayList<>();
        paramGroups.forEach(g -> groups.add(unpack(g)));
        opt.loadStateDict(new Optimizer.StateDict(state, groups));
    }

    private static Map<String, Object> pack(Map<String, Object> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, v instanceof Tensor t ? Blob.of(t) : v));
        return out;
    }

    private static Map<String, Object> unpack(Map<String, Object> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, v instanceof Blob b ? b.tensor() : v));
        return out;
    }

    void save(Path dir) {
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".step-", ".tmp");
            try (ObjectOutputStream o = new ObjectOutputStream(Files.newOutputStream(tmp))) {
                o.writeObject(this);
            }
            Files.move(tmp, file(dir, step), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the checkpoint of step " + step + " in " + dir, e);
        }
    }

    /** The newest complete checkpoint's step in {@code dir}, or 0. */
    static int latest(Path dir) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.matches("step-\\d+\\.ckpt"))
                    .mapToInt(n -> Integer.parseInt(n.substring(5, n.length() - 5))).max().orElse(0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the checkpoints in " + dir, e);
        }
    }

    static Checkpoint load(Path dir, int step) {
        try (ObjectInputStream in = new ObjectInputStream(Files.newInputStream(file(dir, step)))) {
            return (Checkpoint) in.readObject();
        } catch (IOException | ClassNotFoundException e) {
            throw new IllegalStateException("cannot read the checkpoint of step " + step + " in " + dir + ": " + e, e);
        }
    }

    private static Path file(Path dir, int step) {
        return dir.resolve(String.format("step-%06d.ckpt", step));
    }
}
