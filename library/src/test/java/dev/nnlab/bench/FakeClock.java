package dev.nnlab.bench;

import java.util.function.LongUnaryOperator;

/**
 * A clock that only moves when the timed statement runs: call i costs {@code cost.applyAsLong(i)} nanoseconds, and
 * the JIT's compile time after i calls is {@code jit.applyAsLong(i)} (none by default).
 */
final class FakeClock implements Timer.Clock {
    private final LongUnaryOperator cost;
    private final LongUnaryOperator jit;
    long now;
    long calls;

    FakeClock(LongUnaryOperator cost) {
        this(cost, i -> 0);
    }

    FakeClock(LongUnaryOperator cost, LongUnaryOperator jit) {
        this.cost = cost;
        this.jit = jit;
    }

    @Override
    public long nanoTime() {
        return now;
    }

    @Override
    public long compileMillis() {
        return jit.applyAsLong(calls);
    }

    /** The statement to time. */
    Runnable stmt() {
        return () -> now += cost.applyAsLong(calls++);
    }
}
