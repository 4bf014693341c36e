package org.pxlab.allocator;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.memory.SystemMalloc;
import org.pxlab.runtime.spi.SyncStatistics;
import org.pxlab.runtime.sync.MutexParkingLot;

/**
 * A C mutex on one word of simulated memory: CPython's {@code PyMutex}
 * (<a href="https://github.com/python/cpython/blob/3.13/Python/lock.c">{@code Python/lock.c}</a>
 * and {@code Python/parking_lot.c}, 3.13), the lock the free-threaded build puts around
 * everything it locks.
 *
 * <p><b>Why this and not a {@code ReentrantLock}.</b> The lock is what a "one lock around malloc"
 * design pays for, so it should cost what a C lock costs and live where a C lock lives. The
 * word is in simulated memory and every transition is a {@link org.pxlab.runtime.memory.Memory}
 * CAS, the same primitive
 * (and the same simulator overhead) as the refcount and header atomics it is compared with;
 * {@code PrimitivesBench} measures that overhead once for all of them. A {@code ReentrantLock}'s
 * state would sit in the Java heap beside an AQS queue that allocates a node whenever a thread
 * blocks, so a contended run would also measure the Java allocator and GC. This one allocates no
 * Java object on any path, contended or not, but one waiter record per runtime thread on its first
 * sleep. Reentrancy is not modelled; C mutexes are not reentrant either.
 *
 * <p><b>The algorithm</b> is {@link MutexParkingLot}'s, the same code as the per-object header
 * mutexes of {@code per-object-locks}: a CAS fast path, spinning with yields while nobody is
 * parked, parking in a FIFO, and a hand-off to a waiter parked over 1 ms. Here the mutex byte is
 * the low byte of a 4-byte word of its own, and the lot has one bucket (it serves one address).
 *
 * <p><b>Memory.</b> The word gets a cache line of its own, taken from the C library on the first
 * {@link #lock} (a component holds no simulated memory until it is used) and returned by
 * {@link #release()}.
 *
 * <p><b>Statistics</b> are kept per thread and summed on read: acquisitions, acquisitions that
 * found the lock held, hand-offs, and nanoseconds spent in the slow path (spinning or parked).
 *
 * <p>Public (construction, {@link #lock}, {@link #unlock}, {@link #statistics}, {@link #release})
 * so that the benchmarks in {@code experiments} can measure it beside a raw CAS lock; the
 * allocators are its only users inside pxlab.
 */
public final class WordMutex {
    /** {@code MAX_SPIN_COUNT} of {@code lock.c} in the free-threaded build. */
    static final int DEFAULT_SPIN_COUNT = MutexParkingLot.DEFAULT_SPIN_COUNT;
    /** The word's line: one cache line, what the mutex adds to its owner's {@code reserved}. */
    static final int LINE = 64;

    private static final VarHandle WORD;
    static {
        try {
            WORD = MethodHandles.lookup().findVarHandle(WordMutex.class, "word", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final MutexParkingLot lot;

    /** Address of the lock word, 0 until the first lock. Written once, under {@code this}. */
    private volatile long word;
    /** The malloc'd chunk holding the word's line. Guarded by {@code this}. */
    private long chunk;

    /** A mutex with CPython's spin count. */
    public WordMutex() {
        this(DEFAULT_SPIN_COUNT);
    }

    /** @param spinCount yields before parking; 0 parks at once, as glibc's {@code lll_lock} does */
    public WordMutex(int spinCount) {
        this.lot = new MutexParkingLot(0, spinCount, 1, MutexParkingLot.Sleeper.NONE);
    }

    /** Takes the lock, waiting as long as it takes. Not reentrant. */
    public void lock(ThreadContext thread) {
        long w = word;
        if (w == 0) w = materialize();
        lot.lock(w, thread);
    }

    /** Releases the lock, which the calling thread holds. */
    public void unlock(ThreadContext thread) {
        lot.unlock(word);
    }

    private synchronized long materialize() {
        long w = word;
        if (w == 0) {
            chunk = SystemMalloc.calloc(2L * LINE);
            w = (chunk + LINE - 1) & -LINE;
            WORD.setVolatile(this, w);
        }
        return w;
    }

    /** Bytes of simulated memory the mutex holds: its line once used, else 0. */
    long reservedBytes() {
        return word == 0 ? 0 : LINE;
    }

    /** Whether the lock is held now (a racy snapshot, for tests and assertions). */
    boolean isLocked() {
        long w = word;
        return w != 0 && lot.isLocked(w);
    }

    /** Acquisitions that found the lock held, summed over threads; allocates nothing. */
    long contended() {
        return lot.contended();
    }

    /** Contention seen so far, summed over threads. */
    public SyncStatistics statistics() {
        return lot.statistics();
    }

    /** Returns the word's line to the C library; the mutex must not be used afterwards. */
    public synchronized void release() {
        if (chunk != 0) SystemMalloc.free(chunk);
        chunk = 0;
        WORD.setVolatile(this, 0L);
    }
}
