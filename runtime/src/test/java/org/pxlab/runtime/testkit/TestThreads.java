package org.pxlab.runtime.testkit;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * Threads for tests of locks and other blocking code: a bug must fail the test, never hang the
 * build. Threads are daemons, record what they throw, and are waited for with a bound.
 */
public final class TestThreads {
    private TestThreads() {}

    /** How long a test waits for a thread or a condition before calling it a deadlock. */
    public static final long JOIN_MILLIS = 30_000;

    /** A test thread's body. */
    @FunctionalInterface
    public interface ThrowingRunnable {
        void run() throws Exception;
    }

    /** Starts a daemon thread that records what it throws in {@code failure}. */
    public static Thread start(String name, AtomicReference<Throwable> failure, ThrowingRunnable body) {
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Waits for the threads (at most {@link #JOIN_MILLIS} each), then rethrows what any of them threw. */
    public static void join(AtomicReference<Throwable> failure, Thread... threads) throws InterruptedException {
        for (Thread t : threads) {
            t.join(JOIN_MILLIS);
            if (t.isAlive()) fail(t.getName() + " still running after " + JOIN_MILLIS + " ms: deadlock or lost wake-up");
        }
        if (failure.get() != null) throw new AssertionError("a test thread failed", failure.get());
    }

    /** Polls {@code condition} every millisecond until it holds, failing after {@link #JOIN_MILLIS}. */
    public static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(JOIN_MILLIS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) fail("timed out waiting until " + what);
            Thread.sleep(1);
        }
    }
}
