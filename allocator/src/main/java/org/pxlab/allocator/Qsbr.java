package org.pxlab.allocator;

import java.lang.invoke.VarHandle;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.memory.Memory;
import org.pxlab.runtime.memory.SystemMalloc;

/**
 * Quiescent-state-based reclamation, as CPython's free-threaded build has it:
 * <a href="https://github.com/python/cpython/blob/3.13/Python/qsbr.c">{@code Python/qsbr.c}</a>
 * and {@code Include/internal/pycore_qsbr.h} (3.13; "derived from the GUS safe memory reclamation
 * technique in FreeBSD"), described in CPython's {@code InternalDocs/qsbr.md}.
 *
 * <p><b>Sequences.</b> A shared write sequence {@code wr_seq} starts at 1 ({@code QSBR_INITIAL})
 * and is advanced by 2 ({@code QSBR_INCR}), so it is always odd. Each thread has a read
 * sequence: 0 ({@code QSBR_OFFLINE}) while detached, otherwise the write sequence it last
 * observed, copied at {@link #attach} and at each {@link #quiescent} point (a moment when it
 * holds no pointer to shared memory that could be reclaimed). Memory retired now is tagged with
 * a goal, a write sequence at least one advance ahead; it may be reused once every attached
 * thread's read sequence has reached the goal. {@link #poll} computes the minimum over attached
 * threads ({@code qsbr_poll_scan}) and caches it in the shared read sequence {@code rd_seq},
 * which {@link #goalReached} consults without scanning. Comparisons are wrap-around safe, as
 * {@code QSBR_LT} and {@code QSBR_LEQ} are.
 *
 * <p><b>Deferred advance.</b> Advancing {@code wr_seq} is an atomic add on a shared line, so
 * {@code _Py_qsbr_deferred_advance} does it only every {@code QSBR_DEFERRED_LIMIT}-th time (10);
 * the other times it returns {@code wr_seq + 2} without advancing, a goal that cannot be reached
 * until somebody does advance. A limit of 1 advances every time.
 *
 * <p><b>Layout.</b> The sequences live in simulated memory, like the allocator metadata they
 * guard: the shared line holds {@code wr_seq} and {@code rd_seq} (as {@code struct _qsbr_shared}
 * does), and each thread has its own 64-byte line ({@code struct _qsbr_pad}) with its read
 * sequence and its deferral count, indexed by {@link ThreadContext#id()} (CPython reserves
 * array slots for thread states; pxlab's ids are already dense). The scan reads all
 * {@link ThreadContext#MAX_THREADS} lines; detached and never-attached threads read 0 and are
 * skipped, as in CPython.
 *
 * <p>Memory ordering follows CPython: the quiescent store is a release, the scan starts with a
 * full fence and reads each sequence with a volatile load, attaching is a volatile store.
 */
final class Qsbr {
    static final long OFFLINE = 0;
    static final long INITIAL = 1;
    static final long INCR = 2;
    /** {@code QSBR_DEFERRED_LIMIT} in CPython 3.13 and 3.14. */
    static final int DEFAULT_DEFERRED_LIMIT = 10;

    private static final int LINE = 64;
    private static final int WR_SEQ = 0;
    private static final int RD_SEQ = 8;
    // In each thread's line.
    private static final int SEQ = 0;
    private static final int DEFERRALS = 8;
    /** Bytes of simulated memory the domain holds: the shared line and one line per thread. */
    static final long BYTES = (long) LINE * (1 + ThreadContext.MAX_THREADS);

    private final int deferredLimit;
    private final long chunk;
    private final long shared;

    /** @param deferredLimit advance {@code wr_seq} on every this-many-th deferred request (1: every time) */
    Qsbr(int deferredLimit) {
        if (deferredLimit < 1) throw new IllegalArgumentException("deferred limit " + deferredLimit);
        this.deferredLimit = deferredLimit;
        this.chunk = SystemMalloc.calloc(BYTES + LINE);
        this.shared = (chunk + LINE - 1) & -LINE;
        Memory.putLong(shared + RD_SEQ, INITIAL);
        Memory.putLongVolatile(shared + WR_SEQ, INITIAL);
    }

    /** {@code QSBR_LT}: a before b, wrap-around safe. */
    static boolean lessThan(long a, long b) {
        return a - b < 0;
    }

    /** {@code QSBR_LEQ}. */
    static boolean lessOrEqual(long a, long b) {
        return a - b <= 0;
    }

    private long line(int threadId) {
        return shared + (long) LINE * (1 + threadId);
    }

    /** {@code _Py_qsbr_shared_current}: the write sequence, with acquire. */
    long current() {
        return Memory.getLongAcquire(shared + WR_SEQ);
    }

    /** {@code _Py_qsbr_advance}: advances the write sequence by 2 and returns the new value, a goal. */
    long advance() {
        return Memory.getAndAddLong(shared + WR_SEQ, INCR) + INCR;
    }

    /**
     * {@code _Py_qsbr_deferred_advance}: a goal for memory retired now by {@code threadId},
     * advancing the write sequence only every {@code deferredLimit}-th call of that thread.
     */
    long deferredAdvance(int threadId) {
        long counter = line(threadId) + DEFERRALS;
        long n = Memory.getLong(counter) + 1;
        if (n < deferredLimit) {
            Memory.putLong(counter, n);
            return current() + INCR;
        }
        Memory.putLong(counter, 0);
        return advance();
    }

    /** {@code _Py_qsbr_quiescent_state}: the thread holds no pointer into memory that may be reclaimed. */
    void quiescent(int threadId) {
        Memory.putLongRelease(line(threadId) + SEQ, current());
    }

    /**
     * {@code _Py_qsbr_attach}: the thread starts to count. Does nothing if it already counts
     * (CPython asserts instead); moving its sequence forward here would claim a quiescent state
     * the thread never reported.
     */
    void attach(int threadId) {
        long at = line(threadId) + SEQ;
        if (Memory.getLongVolatile(at) == OFFLINE) Memory.putLongVolatile(at, current());
    }

    /** {@code _Py_qsbr_detach}: the thread stops counting until it attaches again. */
    void detach(int threadId) {
        Memory.putLongRelease(line(threadId) + SEQ, OFFLINE);
    }

    /** The thread's read sequence: {@link #OFFLINE} or the write sequence it last observed. */
    long readSequence(int threadId) {
        return Memory.getLongVolatile(line(threadId) + SEQ);
    }

    /** The cached minimum read sequence. */
    long sharedReadSequence() {
        return Memory.getLongVolatile(shared + RD_SEQ);
    }

    /** {@code _Py_qbsr_goal_reached}: whether the cached read sequence has reached {@code goal}; no scan. */
    boolean goalReached(long goal) {
        return lessOrEqual(goal, sharedReadSequence());
    }

    /** {@code _Py_qsbr_poll}: whether {@code goal} is reached, scanning the threads if the cache says no. */
    boolean poll(long goal) {
        return goalReached(goal) || lessOrEqual(goal, scan());
    }

    /** {@code qsbr_poll_scan}: the minimum read sequence of the attached threads, cached in {@code rd_seq}. */
    long scan() {
        // Pairs with the volatile store in attach: do not see a thread as offline after it attached.
        VarHandle.fullFence();
        long min = Memory.getLongVolatile(shared + WR_SEQ);
        for (int t = 0; t < ThreadContext.MAX_THREADS; t++) {
            long seq = Memory.getLongVolatile(line(t) + SEQ);
            if (seq != OFFLINE && lessThan(seq, min)) min = seq;
        }
        long rd = Memory.getLongVolatile(shared + RD_SEQ);
        if (lessThan(rd, min)) {
            // A failed CAS means another thread raised it meanwhile, which is as good.
            Memory.compareAndSetLong(shared + RD_SEQ, rd, min);
            rd = min;
        }
        return rd;
    }

    /** Returns the domain's memory; it must not be used afterwards. */
    void release() {
        SystemMalloc.free(chunk);
    }
}
