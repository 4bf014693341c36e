package org.pxlab.allocator;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.memory.Memory;
import org.pxlab.runtime.memory.SystemMalloc;
import org.pxlab.runtime.spi.SyncStatistics;
import org.pxlab.runtime.stats.PerThreadCounters;

/**
 * A C mutex on one word of simulated memory: CPython's {@code PyMutex}
 * (<a href="https://github.com/python/cpython/blob/3.13/Python/lock.c">{@code Python/lock.c}</a>
 * and {@code Python/parking_lot.c}, 3.13), the lock the free-threaded build puts around
 * everything it locks.
 *
 * <p><b>Why this and not a {@code ReentrantLock}.</b> The lock is what a "one lock around malloc"
 * design pays for, so it should cost what a C lock costs and live where a C lock lives. The
 * word is in simulated memory and every transition is a {@link Memory} CAS, the same primitive
 * (and the same simulator overhead) as the refcount and header atomics it is compared with;
 * {@code PrimitivesBench} measures that overhead once for all of them. A {@code ReentrantLock}'s
 * state would sit in the Java heap beside an AQS queue that allocates a node whenever a thread
 * blocks, so a contended run would also measure the Java allocator and GC. This one allocates no
 * Java object on any path, contended or not: the parking queue is preallocated, one slot per
 * {@link ThreadContext#id()}. Reentrancy is not modelled; C mutexes are not reentrant either.
 *
 * <p><b>The algorithm, as {@code lock.c} has it.</b> The word holds two bits, {@code LOCKED}
 * and {@code HAS_PARKED}.
 * <ul>
 *   <li>Lock: one CAS from unlocked to {@code LOCKED}. If that fails, spin: yield the processor
 *       ({@code _Py_yield}, here {@link Thread#yield()}) up to {@code MAX_SPIN_COUNT} times
 *       (40 in the free-threaded build) while nobody is parked, retrying whenever the lock is
 *       seen free. Then set {@code HAS_PARKED} and park.</li>
 *   <li>Park ({@code _PyParkingLot_Park}): under the bucket's lock, check that the word still
 *       holds the value the waiter saw (else try again: the unlock it waited for already
 *       happened), enqueue at the tail, and sleep until woken.</li>
 *   <li>Unlock: one CAS from {@code LOCKED} to unlocked. If {@code HAS_PARKED} is set, wake
 *       the queue's head instead ({@code _PyParkingLot_Unpark}); under the bucket's lock the
 *       word is set to {@code HAS_PARKED} if more threads still wait, or to 0.</li>
 *   <li>Fairness ({@code mutex_unpark}): a waiter that has waited more than 1 ms
 *       ({@code TIME_TO_BE_FAIR_NS}) is handed the lock directly: the word stays
 *       {@code LOCKED} and the woken thread owns it without competing, so a thread that
 *       unlocks and relocks in a loop cannot starve the others.</li>
 * </ul>
 * CPython hashes lock addresses to 257 buckets, each with its own queue; here each mutex has its
 * own bucket, which changes nothing but the (rare) sharing of a bucket by unrelated locks. The
 * bucket's lock is a test-and-set spin lock held for a few instructions, as CPython's
 * {@code _PyRawMutex} is in the uncontended case. A parked thread that is interrupted keeps
 * waiting (a C thread cannot be interrupted out of a mutex) and its interrupt status is
 * restored once it holds the lock.
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
    static final long LOCKED = 1;
    static final long HAS_PARKED = 2;
    /** {@code MAX_SPIN_COUNT} of {@code lock.c} in the free-threaded build. */
    static final int DEFAULT_SPIN_COUNT = 40;
    /** {@code TIME_TO_BE_FAIR_NS}: after this long parked, a waiter is handed the lock. */
    static final long TIME_TO_BE_FAIR_NS = 1_000_000;
    /** The word's line: one cache line, what the mutex adds to its owner's {@code reserved}. */
    static final int LINE = 64;

    // Waiter states, per thread id.
    private static final int IDLE = 0, WAITING = 1, WOKEN = 2, HANDED_OFF = 3;

    private static final int ACQUISITIONS = 0, CONTENDED = 1, HANDOFFS = 2, WAIT_NANOS = 3;

    private static final VarHandle WORD;
    private static final VarHandle BUCKET;
    private static final VarHandle STATE = MethodHandles.arrayElementVarHandle(int[].class);
    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            WORD = lookup.findVarHandle(WordMutex.class, "word", long.class);
            BUCKET = lookup.findVarHandle(WordMutex.class, "bucket", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int spinCount;
    private final PerThreadCounters counters = new PerThreadCounters(4);

    /** Address of the lock word, 0 until the first lock. Written once, under {@code this}. */
    private volatile long word;
    /** The malloc'd chunk holding the word's line. Guarded by {@code this}. */
    private long chunk;

    /** The bucket's spin lock: 0 free, 1 held. Guards everything below. */
    @SuppressWarnings("unused") // accessed through BUCKET
    private int bucket;
    /** FIFO of parked thread ids, a ring of {@link ThreadContext#MAX_THREADS} slots. */
    private final int[] queue = new int[ThreadContext.MAX_THREADS];
    private int queueHead;
    private int queueSize;
    private final Thread[] parked = new Thread[ThreadContext.MAX_THREADS];
    /** When each parked thread becomes due a hand-off ({@code entry->time_to_be_fair}). */
    private final long[] fairAt = new long[ThreadContext.MAX_THREADS];
    /** Per thread id: IDLE, WAITING, WOKEN or HANDED_OFF; written with release, read with acquire. */
    private final int[] state = new int[ThreadContext.MAX_THREADS];

    /** A mutex with CPython's spin count. */
    public WordMutex() {
        this(DEFAULT_SPIN_COUNT);
    }

    /** @param spinCount yields before parking; 0 parks at once, as glibc's {@code lll_lock} does */
    public WordMutex(int spinCount) {
        if (spinCount < 0) throw new IllegalArgumentException("spin count " + spinCount);
        this.spinCount = spinCount;
    }

    /** Takes the lock, waiting as long as it takes. Not reentrant. */
    public void lock(ThreadContext thread) {
        long w = word;
        if (w == 0) w = materialize();
        counters.add(thread, ACQUISITIONS, 1);
        if (!Memory.compareAndSetLong(w, 0, LOCKED)) lockSlow(w, thread);
    }

    /** Releases the lock, which the calling thread holds. */
    public void unlock(ThreadContext thread) {
        long w = word;
        if (!Memory.compareAndSetLong(w, LOCKED, 0)) unlockSlow(w);
    }

    /** {@code _PyMutex_LockTimed} with no timeout. */
    private void lockSlow(long w, ThreadContext thread) {
        counters.add(thread, CONTENDED, 1);
        long start = System.nanoTime();
        boolean interrupted = false;
        long timeToBeFair = 0;
        int spins = 0;
        long v = Memory.getLongVolatile(w);
        while (true) {
            if ((v & LOCKED) == 0) {
                if (Memory.compareAndSetLong(w, v, v | LOCKED)) break;
                v = Memory.getLongVolatile(w);
                continue;
            }
            if ((v & HAS_PARKED) == 0 && spins < spinCount) {
                Thread.yield();
                spins++;
                v = Memory.getLongVolatile(w);
                continue;
            }
            long expected = v;
            if ((v & HAS_PARKED) == 0) {
                // The first waiter: announce it, so that the holder's unlock takes the slow path.
                expected = v | HAS_PARKED;
                if (!Memory.compareAndSetLong(w, v, expected)) {
                    v = Memory.getLongVolatile(w);
                    continue;
                }
            }
            if (timeToBeFair == 0) timeToBeFair = start + TIME_TO_BE_FAIR_NS;
            int outcome = park(w, expected, thread.id(), timeToBeFair);
            if (outcome == HANDED_OFF) {
                counters.add(thread, HANDOFFS, 1);
                break;
            }
            // Woken (or the word changed before we could sleep): compete again.
            interrupted |= Thread.interrupted();
            v = Memory.getLongVolatile(w);
        }
        counters.add(thread, WAIT_NANOS, System.nanoTime() - start);
        if (interrupted) Thread.currentThread().interrupt();
    }

    /**
     * {@code _PyParkingLot_Park}: sleeps if the word still holds {@code expected}. Returns
     * {@code HANDED_OFF} if the lock was handed to this thread, otherwise {@code WOKEN} or
     * {@code IDLE} (the word had changed; nothing slept).
     */
    private int park(long w, long expected, int id, long timeToBeFair) {
        lockBucket();
        if (Memory.getLongVolatile(w) != expected) {
            unlockBucket();
            return IDLE;
        }
        queue[(queueHead + queueSize) % queue.length] = id;
        queueSize++;
        parked[id] = Thread.currentThread();
        fairAt[id] = timeToBeFair;
        STATE.setRelease(state, id, WAITING);
        unlockBucket();

        // LockSupport.park may return spuriously, and at once while the interrupt status is set:
        // only the state the unparker wrote ends the wait.
        boolean interrupted = false;
        int s;
        while ((s = (int) STATE.getAcquire(state, id)) == WAITING) {
            LockSupport.park(this);
            interrupted |= Thread.interrupted();
        }
        STATE.setRelease(state, id, IDLE);
        if (interrupted) Thread.currentThread().interrupt();
        return s;
    }

    /** {@code _PyMutex_TryUnlock} once the fast path failed. */
    private void unlockSlow(long w) {
        long v = Memory.getLongVolatile(w);
        while (true) {
            if ((v & LOCKED) == 0) throw new IllegalStateException("unlock of a mutex that is not locked");
            if ((v & HAS_PARKED) != 0) {
                unparkOne(w);
                return;
            }
            if (Memory.compareAndSetLong(w, v, 0)) return;
            v = Memory.getLongVolatile(w);
        }
    }

    /** {@code _PyParkingLot_Unpark} with {@code mutex_unpark} as the callback. */
    private void unparkOne(long w) {
        lockBucket();
        if (queueSize == 0) {
            // The waiter that set HAS_PARKED found the word changed and did not sleep.
            Memory.putLongVolatile(w, 0);
            unlockBucket();
            return;
        }
        int id = queue[queueHead];
        queueHead = (queueHead + 1) % queue.length;
        queueSize--;
        boolean handOff = System.nanoTime() - fairAt[id] > 0;
        long v = (handOff ? LOCKED : 0) | (queueSize > 0 ? HAS_PARKED : 0);
        Memory.putLongVolatile(w, v);
        Thread waiter = parked[id];
        parked[id] = null;
        STATE.setRelease(state, id, handOff ? HANDED_OFF : WOKEN);
        unlockBucket();
        LockSupport.unpark(waiter);
    }

    private void lockBucket() {
        while (!BUCKET.compareAndSet(this, 0, 1)) Thread.onSpinWait();
    }

    private void unlockBucket() {
        BUCKET.setRelease(this, 0);
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
        return w != 0 && (Memory.getLongVolatile(w) & LOCKED) != 0;
    }

    /** Acquisitions that found the lock held, summed over threads; allocates nothing. */
    long contended() {
        return counters.sum(CONTENDED);
    }

    /** Contention seen so far, summed over threads. */
    public SyncStatistics statistics() {
        return new SyncStatistics(counters.sum(ACQUISITIONS), counters.sum(CONTENDED), counters.sum(HANDOFFS),
                counters.sum(WAIT_NANOS));
    }

    /** Returns the word's line to the C library; the mutex must not be used afterwards. */
    public synchronized void release() {
        if (chunk != 0) SystemMalloc.free(chunk);
        chunk = 0;
        WORD.setVolatile(this, 0L);
    }
}
