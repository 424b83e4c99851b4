package dev.nnlab.nn;

import dev.nnlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@code net[0].weight} in Java: containers hand out their modules typed as the caller asks. */
class TypedAccessTest {
    @Test
    void sequentialAsAPyTorchUserWritesIt() {
        Sequential net = new Sequential(new Linear(4, 3), new ReLU(), new Linear(3, 2));
        Linear first = net.get(0);
        Parameter w = net.<Linear>get(0).weight;
        assertSame(first.weight, w);
        assertEquals(3, net.<Linear>get(-1).inFeatures);
        assertEquals(2, net.get(2, Linear.class).outFeatures);
        Module any = net.get(1);
        assertSame(net.children().get(1), any);
        Tensor y = net.get(0).call(Tensor.randn(1, 4));
        assertEquals(3, y.shape()[1]);
        assertEquals("ReLU()", String.valueOf(net.get(1)));
        Linear popped = net.pop(2);
        assertEquals(2, popped.outFeatures);
    }

    @Test
    void moduleListAndModuleDict() {
        ModuleList layers = new ModuleList(new Linear(2, 5), new Tanh());
        Linear l = layers.get(0);
        assertEquals(5, l.outFeatures);
        assertEquals(10, layers.<Linear>get(0).weight.numel());
        LinkedHashMap<String, Module> m = new LinkedHashMap<>();
        m.put("cls", new Sequential(new Linear(8, 3)));
        m.put("reg", new Linear(8, 1));
        ModuleDict heads = new ModuleDict(m);
        Sequential cls = heads.get("cls");
        assertEquals(1, cls.size());
        assertEquals(1, heads.<Linear>get("reg").outFeatures);
        assertEquals(8, heads.get("reg", Linear.class).inFeatures);
        Map<String, Module> items = new LinkedHashMap<>();
        for (var e : heads.items()) items.put(e.getKey(), e.getValue());
        assertSame(cls, items.get("cls"));
    }

    @Test
    void aWrongTypeNamesTheIndexWhatIsThereAndWhatWasAsked() {
        Sequential net = new Sequential(new Linear(4, 3), new ReLU());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> net.get(1, Linear.class));
        assertEquals("Sequential[1] is a ReLU, not a Linear: ReLU()", e.getMessage());
        ModuleList layers = new ModuleList(new Tanh());
        e = assertThrows(IllegalArgumentException.class, () -> layers.get(-1, Linear.class));
        assertEquals("ModuleList[-1] is a Tanh, not a Linear: Tanh()", e.getMessage());
        ModuleDict heads = new ModuleDict(Map.of("reg", new Linear(8, 1)));
        e = assertThrows(IllegalArgumentException.class, () -> heads.get("reg", Sequential.class));
        assertEquals("ModuleDict['reg'] is a Linear, not a Sequential: Linear(in_features=8, out_features=1, bias=True)",
                e.getMessage());
        // The unchecked form is checked by Java where the value lands
        assertThrows(ClassCastException.class, () -> {
            Linear wrong = net.get(1);
            wrong.resetParameters();
        });
    }
}
