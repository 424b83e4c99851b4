package dev.nnlab.bench;

import java.util.function.LongUnaryOperator;

/** A clock that only moves when the timed statement runs: call i costs {@code cost.applyAsLong(i)} nanoseconds. */
final class FakeClock implements Timer.Clock {
    private final LongUnaryOperator cost;
    long now;
    long calls;

    FakeClock(LongUnaryOperator cost) {
        this.cost = cost;
    }

    @Override
    public long nanoTime() {
        return now;
    }

    /** The statement to time. */
    Runnable stmt() {
        return () -> now += cost.applyAsLong(calls++);
    }
}
