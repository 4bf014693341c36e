package org.pxlab.runtime.exec;

/**
 * A fixed amount of busy work done at every operation, standing for the interpreter's own
 * cost of dispatching a bytecode (decoding, type checks, stack shuffling), so that refcount
 * and lock costs take the share of a request they take in an interpreter rather than the
 * inflated share they would take in JIT-compiled Java.
 *
 * <p>The work is a chain of dependent multiply-adds (a linear congruential step), which the
 * JIT cannot remove or vectorise because the result is stored. Its length is set in
 * nanoseconds and converted to steps once per JVM by timing 20 million steps. Each mutator
 * has its own instance, so no two threads write the same sink field.
 */
final class InterpreterWork {
    private static volatile double nanosPerStep = Double.NaN;

    private final long steps;
    private long sink = 1;

    private InterpreterWork(long steps) {
        this.steps = steps;
    }

    /** Work of about {@code nanos} nanoseconds per operation; 0 means none (and costs a compare). */
    static InterpreterWork ofNanos(long nanos) {
        if (nanos == 0) return new InterpreterWork(0);
        return new InterpreterWork(Math.max(1, Math.round(nanos / calibrate())));
    }

    /** Nanoseconds per step on this machine, measured once. */
    static double calibrate() {
        double v = nanosPerStep;
        if (Double.isNaN(v)) {
            InterpreterWork probe = new InterpreterWork(20_000_000);
            probe.perform(); // warm-up compiles the loop
            long start = System.nanoTime();
            probe.perform();
            v = Math.max(0.05, (System.nanoTime() - start) / 20_000_000.0);
            nanosPerStep = v;
        }
        return v;
    }

    /** Steps per operation. */
    long steps() {
        return steps;
    }

    void perform() {
        long n = steps;
        if (n == 0) return;
        long x = sink;
        for (long i = 0; i < n; i++) x = x * 6364136223846793005L + 1442695040888963407L;
        sink = x;
    }
}
