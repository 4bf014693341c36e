package org.pxlab.runtime.exec;

/**
 * CPython 3.13t's stop-the-world protocol for one runtime, after
 * <a href="https://github.com/python/cpython/blob/3.13/Python/pystate.c">{@code Python/pystate.c}</a>
 * ({@code _PyEval_StopTheWorld}, {@code _PyEval_StartTheWorld}, {@code park_detached_threads},
 * {@code _PyThreadState_Suspend}, {@code tstate_wait_attach}) and {@code Python/ceval_gil.c}
 * ({@code _PY_EVAL_PLEASE_STOP_BIT} in {@code _Py_HandlePending}).
 *
 * <p>Each {@link ThreadContext} is {@link ThreadContext#DETACHED DETACHED},
 * {@link ThreadContext#ATTACHED ATTACHED} or {@link ThreadContext#SUSPENDED SUSPENDED}.
 * <ul>
 * <li><b>Attach</b> is one CAS from DETACHED to ATTACHED ({@code tstate_try_attach}); if the
 *     thread is SUSPENDED it waits until the world restarts ({@code tstate_wait_attach}).</li>
 * <li><b>Detach</b> is a store of DETACHED; nobody is told ({@code detach_thread}).</li>
 * <li><b>Stop</b>: the requester counts every other thread ({@code thread_countdown}), then
 *     repeatedly moves DETACHED threads to SUSPENDED with a CAS, counting them down, and sets
 *     the stop bit on the ATTACHED ones, waiting up to 1 ms between rounds (as CPython's
 *     {@code PyEvent_WaitTimed} does): a thread that detaches without suspending (blocks on I/O,
 *     parks on a mutex) is found by the next round. An attached thread that sees the bit at an
 *     eval-breaker check suspends itself and counts itself down
 *     ({@code _PyThreadState_Suspend}); the last one wakes the requester. With no other thread,
 *     or all of them detached, the requester does not wait at all.</li>
 * <li><b>Start</b>: every SUSPENDED thread goes back to DETACHED and the waiting ones are woken.</li>
 * </ul>
 * One stop at a time ({@code stw->mutex}): a second requester suspends as any thread does and
 * tries again after the restart (CPython parks on the mutex detached, with the same effect).
 * A thread created while the world is stopped starts SUSPENDED ({@code new_threadstate}), one
 * that ends while it is counted is counted down.
 *
 * <p>The lock of the thread table ({@code HEAD_LOCK}) is the runtime's monitor, so that the
 * table and the stop state change together. Attach and detach take no lock and allocate
 * nothing unless the world is stopping.
 */
final class WorldStop {
    /** {@code PyEvent_WaitTimed(&stw->stop_event, 1 ms)}. */
    private static final long ROUND_MILLIS = 1;

    private final Object head;
    private final ThreadContext[] threads;
    private final int stopBit;
    /** Per thread id: detached by {@link #parking}, to re-attach in {@link #unparked}. Written by that thread only. */
    private final boolean[] parkDetached = new boolean[ThreadContext.MAX_THREADS];

    // Guarded by head.
    private boolean requested;
    private int countdown;
    private ThreadContext requester;

    /**
     * @param head    the monitor that guards {@code threads} (the runtime)
     * @param threads the runtime's thread table, indexed by id
     * @param stopBit the eval-breaker bit that asks an attached thread to suspend
     */
    WorldStop(Object head, ThreadContext[] threads, int stopBit) {
        this.head = head;
        this.threads = threads;
        this.stopBit = stopBit;
    }

    /** {@code tstate_try_attach}, else {@code tstate_wait_attach}. */
    void attach(ThreadContext t) {
        if (t.compareAndSetState(ThreadContext.DETACHED, ThreadContext.ATTACHED)) return;
        if (t.state() == ThreadContext.ATTACHED) throw new IllegalStateException(t + " is already attached");
        boolean interrupted = false;
        synchronized (head) {
            while (!t.compareAndSetState(ThreadContext.DETACHED, ThreadContext.ATTACHED)) {
                try {
                    head.wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    /** {@code tstate_set_detached(tstate, _Py_THREAD_DETACHED)}. */
    void detach(ThreadContext t) {
        t.setState(ThreadContext.DETACHED);
    }

    /**
     * {@code _PyThreadState_Suspend}: the thread, which the caller has already detached from
     * the sync discipline, becomes SUSPENDED and counts itself down if a stop is requested, or
     * DETACHED if none is.
     */
    void suspend(ThreadContext t) {
        synchronized (head) {
            if (!requested) {
                t.setState(ThreadContext.DETACHED);
                return;
            }
            t.setState(ThreadContext.SUSPENDED);
            countDown();
        }
    }

    /** The thread is about to park inside the sync discipline: it counts as detached while it sleeps. */
    void parking(ThreadContext t) {
        if (t.state() != ThreadContext.ATTACHED) return; // not a runtime thread, or already detached
        parkDetached[t.id()] = true;
        t.setState(ThreadContext.DETACHED);
    }

    /** The thread woke from a {@link #parking} park: it attaches again, waiting while the world is stopped. */
    void unparked(ThreadContext t) {
        if (!parkDetached[t.id()]) return;
        parkDetached[t.id()] = false;
        attach(t);
    }

    /**
     * Requests a stop and waits until every other thread is SUSPENDED. Returns {@code false}
     * at once, having done nothing, if another thread's stop is in progress: the caller must
     * then suspend (it is counted by that stop) and try again.
     */
    boolean tryStop(ThreadContext t) {
        boolean interrupted = false;
        synchronized (head) {
            if (requested) {
                if (requester == t) throw new IllegalStateException(t + " has already stopped the world");
                return false;
            }
            requested = true;
            requester = t;
            countdown = 0;
            for (ThreadContext o : threads) {
                if (o != null && o != t) countdown++;
            }
            while (countdown > 0) {
                parkDetachedThreads();
                if (countdown == 0) break;
                try {
                    head.wait(ROUND_MILLIS);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
        return true;
    }

    /** {@code start_the_world}: SUSPENDED threads become DETACHED and may attach again. */
    void start(ThreadContext t) {
        synchronized (head) {
            if (!requested || requester != t) throw new IllegalStateException(t + " did not stop the world");
            requested = false;
            requester = null;
            for (ThreadContext o : threads) {
                if (o != null && o != t) o.compareAndSetState(ThreadContext.SUSPENDED, ThreadContext.DETACHED);
            }
            head.notifyAll();
        }
    }

    /** Whether a stop is requested or in force now. */
    boolean stopping() {
        synchronized (head) {
            return requested;
        }
    }

    /** A new thread enters the table (the caller holds {@code head}): it starts SUSPENDED during a stop. */
    void added(ThreadContext t) {
        if (requested) t.setState(ThreadContext.SUSPENDED);
    }

    /**
     * A thread leaves the table (the caller holds {@code head}, the thread is detached). If the
     * running stop counted it and has not yet suspended it, it is counted down here, or the
     * requester would wait for it forever.
     */
    void removed(ThreadContext t) {
        if (requested && t != requester && t.state() == ThreadContext.DETACHED) countDown();
    }

    /** {@code park_detached_threads}; the caller holds {@code head}. */
    private void parkDetachedThreads() {
        for (ThreadContext o : threads) {
            if (o == null || o == requester) continue;
            int s = o.state();
            if (s == ThreadContext.DETACHED) {
                if (o.compareAndSetState(ThreadContext.DETACHED, ThreadContext.SUSPENDED)) countdown--;
            } else if (s == ThreadContext.ATTACHED) {
                o.signal(stopBit);
            }
        }
    }

    /** {@code decrement_stoptheworld_countdown}; the caller holds {@code head}. */
    private void countDown() {
        if (countdown <= 0) throw new IllegalStateException("stop-the-world countdown below zero");
        if (--countdown == 0) head.notifyAll();
    }
}
