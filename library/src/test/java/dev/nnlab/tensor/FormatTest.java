package dev.nnlab.tensor;

import dev.nnlab.Fixtures;
import dev.nnlab.Fixtures.Fixture;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

/** {@code toString()} against the repr PyTorch printed for the same values (fixtures_tensor.py). */
class FormatTest {
    private static final String[] PLAIN = {"small", "randn", "negative_mixed", "int_valued_float", "int64", "bool", "float64",
        "sci_small", "sci_large", "sci_range", "scalar", "nan_inf", "wide", "three_d", "summarised_2d", "summarised_1d",
        "summarised_int", "empty", "empty_1d"};

    @TestFactory
    Stream<DynamicTest> reprMatchesPyTorch() {
        Stream<DynamicTest> plain = Stream.of(PLAIN).map(n -> dynamicTest(n, () -> {
            Fixture f = Fixtures.load("tensor/repr_" + n);
            assertEquals(f.meta("repr"), f.tensor("x0").toString());
        }));
        Stream<DynamicTest> grad = Stream.of(
            dynamicTest("requires_grad", () -> {
                Fixture f = Fixtures.load("tensor/repr_requires_grad");
                assertEquals(f.meta("repr"), f.tensor("x0").requiresGrad_().toString());
            }),
            dynamicTest("grad_fn", () -> {
                Fixture f = Fixtures.load("tensor/repr_grad_fn");
                assertEquals(f.meta("repr"), f.tensor("x0").requiresGrad_().mul(2).toString());
            }),
            dynamicTest("float64_requires_grad", () -> {
                Fixture f = Fixtures.load("tensor/repr_float64_requires_grad");
                assertEquals(f.meta("repr"), f.tensor("x0").requiresGrad_().toString());
            }));
        return Stream.concat(plain, grad);
    }
}
