package org.pxlab.runtime.exec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.pxlab.runtime.config.Placement;

/**
 * The state of one runtime thread, as {@code PyThreadState} is CPython's: its id, where it
 * allocates, its eval breaker, and scratch space that hot paths reuse instead of allocating.
 * Every SPI call receives it, so components find per-thread data by {@link #id()} without
 * a {@code ThreadLocal} lookup.
 *
 * <p>A context belongs to one Java thread at a time. Only {@link #evalBreaker()} is written
 * by other threads.
 */
public final class ThreadContext {
    /** Most runtime threads one runtime may have at once; sizes per-thread tables. */
    public static final int MAX_THREADS = 64;

    private static final VarHandle BREAKER;
    static {
        try {
            BREAKER = MethodHandles.lookup().findVarHandle(ThreadContext.class, "evalBreaker", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int id;
    private final String name;
    private volatile int evalBreaker;
    private Placement placement;
    private int allocationSpace;
    private boolean attached;

    /**
     * Creates a context. The runtime creates one per runtime thread; component tests create
     * their own.
     *
     * @param id dense id in {@code [0, MAX_THREADS)}, unique among the threads that share components
     */
    public ThreadContext(int id, String name, Placement placement) {
        if (id < 0 || id >= MAX_THREADS) throw new IllegalArgumentException("thread id " + id + " outside 0.." + (MAX_THREADS - 1));
        this.id = id;
        this.name = name;
        this.placement = placement;
    }

    /** Dense id in {@code [0, MAX_THREADS)}, unique among the runtime's live threads. */
    public int id() {
        return id;
    }

    public String name() {
        return name;
    }

    /** Where this thread allocates now. */
    public Placement placement() {
        return placement;
    }

    /** Index of the space this thread allocates in now (resolved from its placement). */
    public int allocationSpace() {
        return allocationSpace;
    }

    void placeIn(Placement placement, int space) {
        this.placement = placement;
        this.allocationSpace = space;
    }

    /** Whether the thread is attached (running simulated code) now. */
    public boolean attached() {
        return attached;
    }

    void setAttached(boolean value) {
        this.attached = value;
    }

    /** Pending-work bits; non-zero means the next eval-breaker check must look at them. */
    public int evalBreaker() {
        return evalBreaker;
    }

    /** Sets bits, from any thread. */
    public void signal(int bits) {
        BREAKER.getAndBitwiseOr(this, bits);
    }

    /** Clears bits, from any thread. */
    public void clear(int bits) {
        BREAKER.getAndBitwiseAnd(this, ~bits);
    }

    @Override
    public String toString() {
        return "thread " + id + " (" + name + ")";
    }
}
