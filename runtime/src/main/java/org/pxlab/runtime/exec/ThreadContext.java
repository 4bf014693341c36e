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
 * <p>A context belongs to one Java thread at a time. Only {@link #evalBreaker()} and the
 * {@link #state() state} are written by other threads: the state by a thread that stops the
 * world, as {@code PyThreadState.state} is in CPython 3.13t ({@code Python/pystate.c}).
 */
public final class ThreadContext {
    /** Most runtime threads one runtime may have at once; sizes per-thread tables. */
    public static final int MAX_THREADS = 64;

    /** {@code _Py_THREAD_DETACHED}: not running simulated code; a stop-the-world request may suspend it. */
    public static final int DETACHED = 0;
    /** {@code _Py_THREAD_ATTACHED}: running simulated code; it stops only at an eval-breaker check. */
    public static final int ATTACHED = 1;
    /** {@code _Py_THREAD_SUSPENDED}: detached while the world is stopped; it cannot attach until it restarts. */
    public static final int SUSPENDED = 2;

    private static final VarHandle BREAKER;
    private static final VarHandle STATE;
    static {
        try {
            BREAKER = MethodHandles.lookup().findVarHandle(ThreadContext.class, "evalBreaker", int.class);
            STATE = MethodHandles.lookup().findVarHandle(ThreadContext.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int id;
    private final String name;
    private volatile int evalBreaker;
    private Placement placement;
    private int allocationSpace;
    @SuppressWarnings("unused") // through STATE
    private volatile int state = DETACHED;

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
        return state == ATTACHED;
    }

    /** {@link #DETACHED}, {@link #ATTACHED} or {@link #SUSPENDED}; a snapshot when read by another thread. */
    public int state() {
        return state;
    }

    void setState(int value) {
        STATE.setVolatile(this, value);
    }

    boolean compareAndSetState(int expected, int value) {
        return STATE.compareAndSet(this, expected, value);
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
