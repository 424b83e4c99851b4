package dev.nnlab.nn;

import dev.nnlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sequential, ModuleList, ModuleDict, ParameterList and ParameterDict against PyTorch's behaviour and text. */
class ContainerTest {
    private static String fact(String... path) {
        return NnFacts.get(path);
    }

    private static Sequential abcd() {
        LinkedHashMap<String, Module> m = new LinkedHashMap<>();
        m.put("a", new ReLU());
        m.put("b", new Tanh());
        m.put("c", new Sigmoid());
        m.put("d", new Identity());
        return new Sequential(m);
    }

    @Test
    void sequentialSlicingKeepsKeys() {
        Sequential seq = abcd();
        assertEquals(fact("sequential_ops", "slice_1_3"), seq.slice(1, 3).toString());
        assertEquals(fact("sequential_ops", "slice_neg"), seq.slice(-2, Integer.MAX_VALUE).toString());
        assertEquals(fact("sequential_ops", "slice_step"), seq.slice(0, Integer.MAX_VALUE, 2).toString());
        assertSame(seq.get(1), seq.slice(1, 3).get(0), "slices share modules");
    }

    @Test
    void sequentialEditsRenumberAsPyTorch() {
        Sequential seq = abcd();
        seq.delete(1);
        assertEquals(fact("sequential_ops", "after_del_1"), seq.toString());
        seq.insert(1, new ELU());
        assertEquals(fact("sequential_ops", "after_insert_1"), seq.toString());
        seq.append(new ReLU());
        assertEquals(fact("sequential_ops", "after_append"), seq.toString());
        Module first = seq.get(0);
        assertSame(first, seq.pop(0));
        assertEquals(fact("sequential_ops", "after_pop_0"), seq.toString());
        assertEquals(4, seq.size());
        assertSame(seq.get(3), seq.get(-1));
        List<String> names = new ArrayList<>();
        for (Module m : seq) names.add(m.getName());
        assertEquals(List.of("ELU", "Sigmoid", "Identity", "ReLU"), names);
    }

    @Test
    void sequentialErrors() {
        Sequential seq = new Sequential(new Linear(4, 4), new ReLU());
        assertEquals(fact("errors", "seq_index"), assertThrows(IndexOutOfBoundsException.class, () -> seq.get(5)).getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> seq.get(-3));
        assertEquals(fact("errors", "seq_insert"), assertThrows(IndexOutOfBoundsException.class, () -> seq.insert(7, new ReLU())).getMessage());
        assertEquals(2, seq.size(), "nothing changed");
    }

    @Test
    void sequentialRunsStagesAddedLaterAndNamedOnes() {
        Sequential seq = new Sequential(new ReLU());
        assertArrayEquals(new double[] {0, 2}, seq.call(Tensor.tensor(-1f, 2f)).toDoubleArray(), 0);
        seq.addModule("neg", new Module() {
            @Override
            public Tensor forward(Tensor x) {
                return x.neg();
            }
        });
        assertArrayEquals(new double[] {0, -2}, seq.call(Tensor.tensor(-1f, 2f)).toDoubleArray(), 0, "the cache sees the new stage");
        seq.set(0, new Identity());
        assertArrayEquals(new double[] {1, -2}, seq.call(Tensor.tensor(-1f, 2f)).toDoubleArray(), 0);
        Map<String, Object> layers = NnFacts.get("layers");
        LinkedHashMap<String, Module> named = new LinkedHashMap<>();
        named.put("fc", new Linear(2, 3));
        named.put("act", new ReLU());
        assertEquals(layers.get("SequentialNamed"), new Sequential(named).toString());
    }

    @Test
    void sequentialPassesNonTensorValuesAlong() {
        Module pair = new Module() {
            @Override
            public Object forward(Object... args) {
                return new Object[] {args[0], "tag"};
            }
        };
        Module first = new Module() {
            @Override
            public Object forward(Object... args) {
                return ((Object[]) args[0])[1];
            }
        };
        Object r = new Sequential(pair, first).call(new Object[] {Tensor.ones(1)});
        assertEquals("tag", r);
    }

    @Test
    void moduleListBehaviourAndErrors() {
        ModuleList ml = new ModuleList(new ReLU());
        assertEquals(fact("errors", "modulelist_index"), assertThrows(IndexOutOfBoundsException.class, () -> ml.get(5)).getMessage());
        assertEquals(fact("errors", "modulelist_call"), assertThrows(UnsupportedOperationException.class, () -> ml.call(Tensor.zeros(1))).getMessage());
        ml.append(new Tanh()).extend(List.of(new Sigmoid(), new Identity()));
        ml.insert(1, new ELU());
        List<String> names = new ArrayList<>();
        for (Module m : ml) names.add(m.getName());
        assertEquals(List.of("ReLU", "ELU", "Tanh", "Sigmoid", "Identity"), names);
        ml.delete(0);
        assertEquals(List.of("0", "1", "2", "3"), new ArrayList<>(ml.namedChildren().keySet()));
        assertEquals("Identity", ml.pop(-1).getName());
        assertEquals(List.of("0", "1"), new ArrayList<>(ml.slice(1, 3).namedChildren().keySet()), "list slices renumber");
        Map<String, Object> layers = NnFacts.get("layers");
        assertEquals(layers.get("ModuleListEmpty"), new ModuleList().toString());
        assertEquals(layers.get("ModuleListMixed"), new ModuleList(new Linear(2, 2), new Linear(2, 2), new ReLU(),
                new Linear(2, 2), new Linear(2, 2), new Linear(2, 2)).toString());
    }

    @Test
    void moduleDictBehaviourAndErrors() {
        ModuleDict md = new ModuleDict();
        md.put("b", new ReLU()).put("a", new Tanh());
        assertEquals(List.of("b", "a"), new ArrayList<>(md.keys()), "insertion order");
        NoSuchElementException e = assertThrows(NoSuchElementException.class, () -> md.get("missing"));
        assertEquals("'" + fact("errors", "moduledict_key") + "'", e.getMessage());
        md.put("b", new Sigmoid());
        assertEquals(List.of("b", "a"), new ArrayList<>(md.keys()), "replacing keeps the position");
        assertEquals("Sigmoid", md.get("b").getName());
        assertEquals("Tanh", md.pop("a").getName());
        assertEquals(1, md.size());
        assertThrows(UnsupportedOperationException.class, () -> md.call(Tensor.zeros(1)));
        assertThrows(IllegalArgumentException.class, () -> md.put("x.y", new ReLU()));
    }

    @Test
    void parameterContainersKeysAndRepr() {
        ParameterList pl = new ParameterList(new Parameter(Tensor.zeros(10)), Tensor.zeros(5, 5));
        assertTrue(pl.get(1) instanceof Parameter, "a plain tensor is wrapped");
        assertTrue(pl.get(1).requiresGrad());
        assertEquals(NnFacts.<Map<String, Object>>get("layers").get("ParameterList"), pl.toString());
        ParameterDict pd = new ParameterDict();
        pd.put("param_0", Tensor.zeros(10));
        assertEquals(NnFacts.<Map<String, Object>>get("layers").get("ParameterDict"), pd.toString());
        Module owner = new Module() { };
        owner.registerModule("param_list", pl);
        owner.registerModule("param_dict", pd);
        assertEquals(List.of("param_list.0", "param_list.1", "param_dict.param_0"), new ArrayList<>(owner.stateDict().keySet()));
        assertThrows(NoSuchElementException.class, () -> pd.get("nope"));
        assertEquals("index 2 is out of range", assertThrows(IndexOutOfBoundsException.class, () -> pl.get(2)).getMessage());
        assertSame(pl.get(0), pl.get(-2));
    }
}
