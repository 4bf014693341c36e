package org.pxlab.runtime.sync;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.layout.HeaderField;
import org.pxlab.runtime.layout.StructLayout;
import org.pxlab.runtime.spi.SyncDiscipline;
import org.pxlab.runtime.spi.SyncSite;
import org.pxlab.runtime.spi.SyncStatistics;
import org.pxlab.runtime.stats.PerThreadCounters;

/**
 * CPython 3.12's global interpreter lock ({@code gil}), modelled on
 * <a href="https://github.com/python/cpython/blob/3.12/Python/ceval_gil.c">{@code Python/ceval_gil.c}</a>
 * (the "new GIL" of Python 3.2, with {@code FORCE_SWITCHING} defined, as every build has it).
 *
 * <h2>The algorithm, as ceval_gil.c has it</h2>
 * <ul>
 * <li>The GIL is a boolean, {@code locked}, guarded by a mutex ({@code gil->mutex}); changes
 *     are announced on a condition variable ({@code gil->cond}). The mutex is held only for a
 *     few instructions, so it is rarely contended itself.</li>
 * <li>{@code take_gil}: while the GIL is locked, wait on {@code cond} for at most the switch
 *     {@code interval} (5 ms by default; {@code sys.setswitchinterval}). If the wait timed
 *     out, the GIL is still locked and {@code switch_number} did not move in the meantime
 *     (nobody else got it either), set {@code gil_drop_request}, which makes the holder's
 *     eval breaker fire. Once free: {@code locked = 1}, {@code last_holder = tstate},
 *     {@code ++switch_number} if the holder changed, signal {@code switch_cond}, and reset a
 *     drop request left pending.</li>
 * <li>{@code drop_gil}: {@code locked = 0}, signal {@code cond}. With {@code FORCE_SWITCHING},
 *     if a drop request is pending and nobody has taken the GIL yet, reset the request and
 *     wait on {@code switch_cond} until another thread has taken it. Without that wait the
 *     dropping thread, still running on its core, usually takes the GIL straight back before
 *     the woken waiter is scheduled: the convoy effect David Beazley measured on the old and
 *     the early new GIL.</li>
 * <li>The eval breaker handler ({@code _Py_HandlePending}): if {@code gil_drop_request} is
 *     set, {@code drop_gil} then {@code take_gil}, letting the requester run.</li>
 * </ul>
 *
 * <h2>Mapping to pxlab</h2>
 * <ul>
 * <li>{@link ReentrantLock}s stand for {@code gil->mutex} and {@code gil->switch_mutex}, their
 *     {@link Condition}s for {@code cond} and {@code switch_cond}. The locks are non-fair, as
 *     a pthread mutex is. Like {@code pthread_cond_wait}, {@link Condition#await} enqueues
 *     the waiter before it releases the mutex, so the wake-up the C comment in
 *     {@code drop_gil} worries about cannot be lost.</li>
 * <li>{@link #attach} is {@code PyEval_RestoreThread} ({@code take_gil}), {@link #detach} is
 *     {@code PyEval_SaveThread} ({@code drop_gil}), {@link #poll} is the GIL part of
 *     {@code _Py_HandlePending}. As in CPython, a voluntary {@code detach} made while a drop
 *     request is pending also waits for the switch.</li>
 * <li>{@code gil_drop_request} stays one flag for the whole GIL, as in 3.12. 3.12 keeps one
 *     eval breaker per interpreter; pxlab's are per thread, so the request is raised on the
 *     holder's breaker through {@link SyncSite#schedule}, as 3.13 and later do
 *     ({@code _Py_set_eval_breaker_bit(holder_tstate, _PY_GIL_DROP_REQUEST_BIT)}). Only the holder
 *     runs simulated code, so this is the same signal reaching the same thread.</li>
 * <li>Fields that C reads with {@code _Py_atomic_load_relaxed} outside a mutex
 *     ({@code locked}, {@code last_holder}, {@code gil_drop_request}) are read here with
 *     opaque {@link VarHandle} accesses, Java's counterpart of relaxed atomics; the mutexes
 *     give the ordering, as in C.</li>
 * <li>A wait interrupted with {@link Thread#interrupt} keeps waiting (a C thread cannot be
 *     interrupted out of {@code take_gil} either) and the interrupt status is restored once
 *     the wait is over.</li>
 * </ul>
 *
 * <h2>Cost</h2>
 * The uncontended path ({@link #attach}/{@link #detach} with nobody waiting, {@link #poll} with
 * no request) allocates no Java object: an uncontended {@code ReentrantLock} is one CAS, and
 * signalling a {@code Condition} that nobody waits on is a field read. The contended path
 * does allocate: a waiting {@code Condition#awaitNanos} enqueues a new
 * {@code AbstractQueuedSynchronizer.ConditionNode}, and a thread that blocks in
 * {@code ReentrantLock#lock} enqueues a node too. That cost lands only on threads that are
 * about to sleep anyway.
 *
 * <h2>Statistics</h2>
 * Kept per thread ({@link PerThreadCounters}) and summed on read: acquisitions of the GIL,
 * acquisitions that found it held (contended), forced drops answering a drop request
 * (hand-offs), and nanoseconds spent blocked, both waiting for the GIL and, in a forced
 * drop, waiting for the requester to take it.
 */
public final class GlobalInterpreterLock implements SyncDiscipline {
    /** CPython's {@code DEFAULT_INTERVAL}: 5000 microseconds. */
    public static final long DEFAULT_SWITCH_INTERVAL_MICROS = 5_000;
    /** Shortest switch interval accepted (CPython clamps 0 to 1 µs too). */
    public static final long MIN_SWITCH_INTERVAL_MICROS = 1;
    /** Longest switch interval accepted: one second. */
    public static final long MAX_SWITCH_INTERVAL_MICROS = 1_000_000;

    private static final int ACQUISITIONS = 0;
    private static final int CONTENDED = 1;
    private static final int HANDOFFS = 2;
    private static final int WAIT_NANOS = 3;
    private static final int COUNTERS = 4;

    private static final VarHandle LOCKED;
    private static final VarHandle LAST_HOLDER;
    private static final VarHandle DROP_REQUEST;
    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            LOCKED = lookup.findVarHandle(GlobalInterpreterLock.class, "locked", boolean.class);
            LAST_HOLDER = lookup.findVarHandle(GlobalInterpreterLock.class, "lastHolder", ThreadContext.class);
            DROP_REQUEST = lookup.findVarHandle(GlobalInterpreterLock.class, "dropRequest", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final long intervalMicros;
    private final long intervalNanos;

    /** {@code gil->mutex}: guards {@link #locked} and {@link #switchNumber}. */
    private final ReentrantLock mutex = new ReentrantLock();
    /** {@code gil->cond}: signalled when the GIL is dropped. */
    private final Condition cond = mutex.newCondition();
    /** {@code gil->switch_mutex}: taken around every write of {@link #lastHolder}. */
    private final ReentrantLock switchMutex = new ReentrantLock();
    /** {@code gil->switch_cond}: signalled when a thread has taken the GIL. */
    private final Condition switchCond = switchMutex.newCondition();

    /** {@code gil->locked}. Written under {@link #mutex}; read opaque outside it. */
    private boolean locked;
    /**
     * {@code gil->last_holder}: the holder while {@link #locked}, the last holder otherwise.
     * Written under both mutexes, so reading under either is safe.
     */
    private ThreadContext lastHolder;
    /** {@code gil->switch_number}: how many times the GIL changed hands. Guarded by {@link #mutex}. */
    private long switchNumber;
    /** {@code ceval->gil_drop_request}. Set under {@link #mutex}; read opaque outside it. */
    private boolean dropRequest;

    private final PerThreadCounters counters = new PerThreadCounters(COUNTERS);
    private SyncSite site;
    private int bit;

    /** A GIL with CPython's default switch interval, 5 ms. */
    public GlobalInterpreterLock() {
        this(DEFAULT_SWITCH_INTERVAL_MICROS);
    }

    /**
     * A GIL with the given switch interval ({@code sys.setswitchinterval}, in microseconds).
     *
     * @throws IllegalArgumentException if the interval is outside
     *         [{@value #MIN_SWITCH_INTERVAL_MICROS}, {@value #MAX_SWITCH_INTERVAL_MICROS}]
     */
    public GlobalInterpreterLock(long switchIntervalMicros) {
        if (switchIntervalMicros < MIN_SWITCH_INTERVAL_MICROS || switchIntervalMicros > MAX_SWITCH_INTERVAL_MICROS) {
            throw new IllegalArgumentException("switch interval " + switchIntervalMicros + " µs outside "
                    + MIN_SWITCH_INTERVAL_MICROS + ".." + MAX_SWITCH_INTERVAL_MICROS);
        }
        this.intervalMicros = switchIntervalMicros;
        this.intervalNanos = TimeUnit.MICROSECONDS.toNanos(switchIntervalMicros);
    }

    /** The switch interval in microseconds: how long a waiter waits before it asks the holder to drop the GIL. */
    public long switchIntervalMicros() {
        return intervalMicros;
    }

    /** No header fields: the GIL protects every object at once, so objects carry no lock word. */
    @Override
    public List<HeaderField> headerFields() {
        return List.of();
    }

    /**
     * Remembers the site, through which drop requests reach the holder's eval breaker, and
     * the breaker bit that {@link #poll} answers to.
     */
    @Override
    public void bind(StructLayout header, SyncSite site) {
        Objects.requireNonNull(site, "site");
        int b = site.breakerBit();
        if (b == 0) throw new IllegalArgumentException("the GIL needs a non-zero eval-breaker bit");
        this.site = site;
        this.bit = b;
    }

    /**
     * {@code PyEval_RestoreThread}: takes the GIL, waiting for it if another thread holds it
     * and asking that thread to drop it each time a switch interval passes without a switch.
     *
     * @throws IllegalStateException if the thread already holds the GIL (in CPython this
     *         would wait for itself forever) or the GIL was never bound
     */
    @Override
    public void attach(ThreadContext thread) {
        if (site == null) throw new IllegalStateException("the GIL is not bound to a runtime yet");
        takeGil(thread);
    }

    /**
     * {@code PyEval_SaveThread}: drops the GIL. If a drop request is pending (another thread
     * timed out waiting), waits until some other thread has taken the GIL, as CPython does.
     *
     * @throws IllegalStateException if the thread does not hold the GIL
     */
    @Override
    public void detach(ThreadContext thread) {
        dropGil(thread);
    }

    /**
     * The GIL part of {@code _Py_HandlePending}: if a drop request is pending for this
     * thread (the holder), gives the GIL to the requester and takes it back once it is free
     * again. A bit left over from an already answered request is simply cleared.
     */
    @Override
    public void poll(ThreadContext thread) {
        // Clear first, then look at the request: a request raised after this point sets the
        // bit again, so it is answered at the next boundary rather than lost.
        if ((thread.evalBreaker() & bit) != 0) thread.clear(bit);
        if (!(boolean) DROP_REQUEST.getOpaque(this) || (ThreadContext) LAST_HOLDER.getOpaque(this) != thread) return;
        counters.add(thread, HANDOFFS, 1);
        dropGil(thread);
        // Other threads may run now.
        takeGil(thread);
    }

    /** Nothing: under the GIL every operation already runs alone (Py_BEGIN_CRITICAL_SECTION is empty in 3.12). */
    @Override
    public void lock(long object, ThreadContext thread) {
    }

    /** Nothing, as {@link #lock}. */
    @Override
    public void unlock(long object, ThreadContext thread) {
    }

    /** Nothing, as {@link #lock}. */
    @Override
    public void lockPair(long a, long b, ThreadContext thread) {
    }

    /** Nothing, as {@link #lock}. */
    @Override
    public void unlockPair(long a, long b, ThreadContext thread) {
    }

    /** {@code true}: at most one thread holds the GIL, and only the holder runs simulated code. */
    @Override
    public boolean serializesMutators() {
        return true;
    }

    /**
     * Acquisitions, contended acquisitions, hand-offs (forced drops) and nanoseconds spent
     * blocked, summed over threads: exact once threads have stopped, approximate while they run.
     */
    @Override
    public SyncStatistics statistics() {
        return new SyncStatistics(counters.sum(ACQUISITIONS), counters.sum(CONTENDED),
                counters.sum(HANDOFFS), counters.sum(WAIT_NANOS));
    }

    /** The thread holding the GIL now, or {@code null} if it is free (for tests and reports). */
    public ThreadContext holder() {
        mutex.lock();
        try {
            return (boolean) LOCKED.getOpaque(this) ? (ThreadContext) LAST_HOLDER.getOpaque(this) : null;
        } finally {
            mutex.unlock();
        }
    }

    /** {@code switch_number}: how many times the GIL has passed to a different thread. */
    public long switchNumber() {
        mutex.lock();
        try {
            return switchNumber;
        } finally {
            mutex.unlock();
        }
    }

    /** Whether a drop request ({@code gil_drop_request}) is pending now. */
    public boolean dropRequested() {
        return (boolean) DROP_REQUEST.getOpaque(this);
    }

    /** {@code take_gil}. */
    private void takeGil(ThreadContext thread) {
        boolean interrupted = false;
        mutex.lock();
        try {
            if ((boolean) LOCKED.getOpaque(this)) {
                if ((ThreadContext) LAST_HOLDER.getOpaque(this) == thread) {
                    throw new IllegalStateException("take_gil: " + thread + " already holds the GIL");
                }
                counters.add(thread, CONTENDED, 1);
                long start = System.nanoTime();
                boolean dropRequested = false;
                try {
                    do {
                        long savedSwitchNumber = switchNumber;
                        boolean timedOut;
                        try {
                            timedOut = cond.awaitNanos(intervalNanos) <= 0;
                        } catch (InterruptedException e) {
                            // awaitNanos has re-acquired the mutex; keep waiting as C would,
                            // and restore the interrupt once we hold the GIL.
                            interrupted = true;
                            timedOut = false;
                        }
                        // Timed out, still locked, and nobody else got the GIL in the meantime:
                        // the holder has had a whole interval, so ask it to drop the GIL. A
                        // wait cut short (signal, spurious wake-up) starts a fresh interval, as
                        // in C.
                        if (timedOut && (boolean) LOCKED.getOpaque(this) && switchNumber == savedSwitchNumber) {
                            DROP_REQUEST.setOpaque(this, true);
                            dropRequested = true;
                            site.schedule((ThreadContext) LAST_HOLDER.getOpaque(this));
                        }
                    } while ((boolean) LOCKED.getOpaque(this));
                } catch (RuntimeException | Error e) {
                    // Leaving without the GIL (a failing site): withdraw our request, or the
                    // holder's drop_gil would wait for a taker that never comes. 3.12 does the
                    // same for a thread that exits here (gh-96387).
                    if (dropRequested) DROP_REQUEST.setOpaque(this, false);
                    throw e;
                }
                counters.add(thread, WAIT_NANOS, System.nanoTime() - start);
            }

            // last_holder changes only under switch_mutex, so a thread in drop_gil's forced
            // wait sees the change and the signal together.
            switchMutex.lock();
            try {
                LOCKED.setOpaque(this, true);
                if ((ThreadContext) LAST_HOLDER.getOpaque(this) != thread) {
                    LAST_HOLDER.setOpaque(this, thread);
                    switchNumber++;
                }
                switchCond.signal();
            } finally {
                switchMutex.unlock();
            }

            // A request still pending was aimed at the previous holder and is answered now
            // that the GIL has changed hands; a waiter still waiting will ask us in turn after
            // its next interval. A bit left on our own breaker is equally stale: requests are
            // raised under this mutex, against the holder, and we were not holding.
            if ((boolean) DROP_REQUEST.getOpaque(this)) DROP_REQUEST.setOpaque(this, false);
            if ((thread.evalBreaker() & bit) != 0) thread.clear(bit);
            counters.add(thread, ACQUISITIONS, 1);
        } finally {
            mutex.unlock();
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    /** {@code drop_gil}. */
    private void dropGil(ThreadContext thread) {
        mutex.lock();
        try {
            if (!(boolean) LOCKED.getOpaque(this) || (ThreadContext) LAST_HOLDER.getOpaque(this) != thread) {
                throw new IllegalStateException("drop_gil: " + thread + " does not hold the GIL");
            }
            LOCKED.setOpaque(this, false);
            cond.signal();
        } finally {
            mutex.unlock();
        }

        // FORCE_SWITCHING: a waiter asked for the GIL, so make sure it gets it before this
        // thread can take it back. The request is re-read after the mutex is released, as in
        // C: if the waiter has already taken the GIL it has reset the request, and
        // last_holder has moved anyway.
        if ((boolean) DROP_REQUEST.getOpaque(this)) {
            switchMutex.lock();
            try {
                if ((ThreadContext) LAST_HOLDER.getOpaque(this) == thread) {
                    DROP_REQUEST.setOpaque(this, false);
                    thread.clear(bit);
                    long start = System.nanoTime();
                    // C waits once; a loop also absorbs spurious wake-ups, which Java's
                    // Condition allows. Someone does take the GIL: the request was raised by a
                    // waiter that leaves take_gil only by taking it (or withdraws the request
                    // if it fails), and this thread cannot take it meanwhile.
                    while ((ThreadContext) LAST_HOLDER.getOpaque(this) == thread) {
                        switchCond.awaitUninterruptibly();
                    }
                    counters.add(thread, WAIT_NANOS, System.nanoTime() - start);
                }
            } finally {
                switchMutex.unlock();
            }
        }
        // Nobody can raise a request against this thread now that it has released the GIL
        // (requests need locked == true under the mutex), so a bit still set is stale.
        if ((thread.evalBreaker() & bit) != 0) thread.clear(bit);
    }

    /** Describes the lock and its interval. */
    @Override
    public String toString() {
        return "gil (switch interval " + intervalMicros + " µs)";
    }
}
