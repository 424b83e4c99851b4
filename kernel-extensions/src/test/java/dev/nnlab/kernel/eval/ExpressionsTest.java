package dev.nnlab.kernel.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ExpressionsTest {
    @Test
    void expressionsTakeTheCheapRoute() {
        for (String s : new String[] {"1 + 1", "x", "List.of(1, 2)", "new Foo().bar()", "\"a\" + b;", "a == b",
                "model.forward(x)", "x++", "(int) y", "Math.max(1, 2)"}) {
            assertTrue(Expressions.looksLikeExpression(s), s);
        }
    }

    @Test
    void declarationsStatementsAndAssignmentsDoNot() {
        for (String s : new String[] {"int x = 1;", "var y = 2", "String s;", "List<String> xs = new ArrayList<>();",
                "Map<String, Integer> m = Map.of()", "int[] a = {1};", "Foo f(int x) { return null; }",
                "class A {}", "import java.util.*;", "for (;;) {}", "x = 5", "a[i] += 2", "return;",
                "{ int q = 1; }", "@Deprecated void f() {}", "Runnable r = () -> {}", ""}) {
            assertFalse(Expressions.looksLikeExpression(s), s);
        }
    }

    @Test
    void compoundAssignmentsAreToldFromComparisonsAndPlainAssignments() {
        for (String s : new String[] {"n += 1;", "a[i] -= 2", "o.f *= 3", "m <<= 1", "m >>>= 1", "b ^= true"}) {
            assertTrue(Expressions.isCompoundAssignment(s), s);
        }
        for (String s : new String[] {"n = 1", "n == 1", "n <= 1", "n >= 1", "n != 1", "n++", "f(n += 1)", ""}) {
            assertFalse(Expressions.isCompoundAssignment(s), s);
        }
    }

    @Test
    void wrapKeepsTheExpressionIntact() {
        assertEquals("Object $nnlab1 = (1 + 1 // one\n);", Expressions.wrap("1 + 1 // one", 1));
        assertEquals("Object $nnlab27 = (f()\n);", Expressions.wrap("f();", 27));
        assertEquals("{ f() // note\n; }", Expressions.statement("f() // note"));
        assertEquals("{ opt.step()\n; }", Expressions.statement("opt.step();  "));
    }
}
