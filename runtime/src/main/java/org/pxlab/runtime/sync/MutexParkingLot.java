package org.pxlab.runtime.sync;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.memory.Memory;
import org.pxlab.runtime.spi.SyncStatistics;
import org.pxlab.runtime.stats.PerThreadCounters;

/**
 * CPython's {@code PyMutex} and the parking lot its waiters sleep in, as
 * <a href="https://github.com/python/cpython/blob/3.13/Python/lock.c">{@code Python/lock.c}</a>
 * and {@code Python/parking_lot.c} (3.13) have them, over mutexes that live in simulated memory:
 * each mutex is one byte (bits {@code LOCKED} and {@code HAS_PARKED}) of a naturally aligned
 * 4-byte word, at the same position in every word of this lot. FFM has no one-byte CAS, so every
 * transition is a CAS on the whole word that leaves its other three bytes as they were: a word may
 * share the mutex with other header fields ({@code ob_flags}, {@code ob_gc_bits} in PEP 703's
 * header), and their writers must CAS too.
 *
 * <p>One class serves every pxlab lock that models {@code PyMutex}: {@link PerObjectLocks}' header
 * mutexes and the allocators' {@code WordMutex}. Callers supply the word's address.
 *
 * <ul>
 *   <li><b>Lock</b> ({@code PyMutex_LockFast}, then {@code _PyMutex_LockTimed} with no timeout):
 *       one CAS of the byte from 0 to {@code LOCKED}. Otherwise, while nobody is parked, yield
 *       the processor ({@code _Py_yield}) up to the spin count (40, {@code MAX_SPIN_COUNT} of the
 *       free-threaded build), retrying whenever the byte is seen free; then set {@code HAS_PARKED}
 *       and park.</li>
 *   <li><b>Park</b> ({@code _PyParkingLot_Park}): under the bucket's lock, check that the byte
 *       still holds the value the waiter saw (else try again: the unlock it waited for already
 *       happened), enqueue at the tail, sleep until woken.</li>
 *   <li><b>Unlock</b>: one CAS from {@code LOCKED} to 0. If {@code HAS_PARKED} is set, wake the
 *       first waiter on this address ({@code _PyParkingLot_Unpark} with {@code mutex_unpark}):
 *       a waiter parked longer than 1 ms ({@code TIME_TO_BE_FAIR_NS}) is <em>handed</em> the lock
 *       (the byte stays {@code LOCKED} and the woken thread owns it without competing), otherwise
 *       the byte is released and the woken thread competes again. {@code HAS_PARKED} stays set
 *       while other threads wait on the address.</li>
 * </ul>
 *
 * <p><b>The lot.</b> As in parking_lot.c, addresses hash to buckets (257 there), each a short
 * spin lock (CPython's {@code _PyRawMutex}, uncontended in practice) and an intrusive FIFO of
 * waiter records. The records are per runtime thread ({@link ThreadContext#id()}), created on a
 * thread's first sleep; nothing else is allocated on any path, contended or not, so a contended
 * run does not measure the Java allocator. A lot is per owner (a runtime's per-object locks, one
 * allocator's mutex) rather than global as in CPython, because runtime thread ids are only unique
 * within a runtime and tests run runtimes side by side; it changes nothing but which unrelated
 * locks could share a bucket. A parked thread that is interrupted keeps waiting (a C thread cannot
 * be interrupted out of a mutex) and its interrupt status is restored once it holds the lock.
 *
 * <p><b>Statistics</b>, per thread and summed on read: acquisitions, acquisitions that found the
 * mutex held (contended), hand-offs received, and nanoseconds spent in the slow path (spinning or
 * parked).
 */
public final class MutexParkingLot {
    /** {@code _Py_LOCKED} and {@code _Py_HAS_PARKED}, as bits of the mutex byte. */
    public static final int LOCKED = 1, HAS_PARKED = 2;
    /** {@code MAX_SPIN_COUNT} of lock.c in the free-threaded build. */
    public static final int DEFAULT_SPIN_COUNT = 40;
    /** {@code TIME_TO_BE_FAIR_NS}: a waiter parked longer than this is handed the lock. */
    public static final long TIME_TO_BE_FAIR_NS = 1_000_000;
    /** {@code NUM_BUCKETS} of parking_lot.c. */
    public static final int BUCKETS = 257;

    /**
     * What the owner of the mutexes does around a thread's sleep. The calls are made on the
     * sleeping thread; none may lock a mutex of this lot.
     */
    public interface Sleeper {
        /** Nothing around the sleep. */
        Sleeper NONE = new Sleeper() {};

        /**
         * Before the thread first parks for one acquisition: CPython parks with
         * {@code _PY_LOCK_DETACH}, and detaching suspends the thread's critical sections.
         */
        default void beforeFirstSleep(ThreadContext thread) {}

        /** Just before the thread sleeps (it counts as detached while asleep). */
        default void sleeping(ThreadContext thread) {}

        /** Just after it woke, before it touches the mutex again (e.g. waits for a stopped world). */
        default void woken(ThreadContext thread) {}
    }

    // Waiter states.
    private static final int IDLE = 0, WAITING = 1, WOKEN = 2, HANDED_OFF = 3;
    private static final int ACQUISITIONS = 0, CONTENDED = 1, HANDOFFS = 2, WAIT_NANOS = 3;

    private static final VarHandle PARK_STATE;
    private static final VarHandle BUCKET_LOCK;
    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            PARK_STATE = lookup.findVarHandle(Waiter.class, "parkState", int.class);
            BUCKET_LOCK = lookup.findVarHandle(Bucket.class, "lock", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** One runtime thread's parking record; its fields are guarded by the bucket's lock while queued. */
    private static final class Waiter {
        Thread thread;
        long address;
        long fairAt;
        Waiter next;
        @SuppressWarnings("unused") // through PARK_STATE
        int parkState;
    }

    /** A bucket: a spin lock and a FIFO of waiters. */
    private static final class Bucket {
        @SuppressWarnings("unused") // through BUCKET_LOCK
        int lock;
        Waiter head, tail;

        void lock() {
            int spins = 0;
            while (!BUCKET_LOCK.compareAndSet(this, 0, 1)) {
                if (++spins < 100) Thread.onSpinWait();
                else Thread.yield();
            }
        }

        void unlock() {
            BUCKET_LOCK.setRelease(this, 0);
        }
    }

    private final int lockedBit;
    private final int parkedBit;
    private final int mutexMask;
    private final int spinCount;
    private final Sleeper sleeper;
    private final Bucket[] buckets;
    private final Waiter[] waiters = new Waiter[ThreadContext.MAX_THREADS];
    private final PerThreadCounters counters = new PerThreadCounters(4);

    /**
     * @param mutexShift the mutex byte's bit position in its 4-byte word (0, 8, 16 or 24)
     * @param spinCount  yields before parking; 0 parks at once, as glibc's {@code lll_lock} does
     * @param buckets    buckets of the lot: {@link #BUCKETS} for many mutexes, 1 for one
     * @param sleeper    what to do around a sleep
     */
    public MutexParkingLot(int mutexShift, int spinCount, int buckets, Sleeper sleeper) {
        if (mutexShift < 0 || mutexShift > 24 || mutexShift % 8 != 0) {
            throw new IllegalArgumentException("mutex shift " + mutexShift + ": expected 0, 8, 16 or 24");
        }
        if (spinCount < 0) throw new IllegalArgumentException("spin count " + spinCount);
        if (buckets < 1) throw new IllegalArgumentException("buckets " + buckets);
        this.lockedBit = LOCKED << mutexShift;
        this.parkedBit = HAS_PARKED << mutexShift;
        this.mutexMask = 0xFF << mutexShift;
        this.spinCount = spinCount;
        this.sleeper = java.util.Objects.requireNonNull(sleeper, "sleeper");
        this.buckets = new Bucket[buckets];
        for (int i = 0; i < buckets; i++) this.buckets[i] = new Bucket();
    }

    /** Yields before parking. */
    public int spinCount() {
        return spinCount;
    }

    /** Takes the mutex in the word at {@code w}, waiting as long as it takes. Not reentrant. */
    public void lock(long w, ThreadContext thread) {
        counters.add(thread, ACQUISITIONS, 1);
        int v = Memory.getIntVolatile(w);
        while ((v & mutexMask) == 0) {
            if (Memory.compareAndSetInt(w, v, v | lockedBit)) return;
            v = Memory.getIntVolatile(w); // a neighbouring field changed, or another thread locked
        }
        lockSlow(w, thread);
    }

    /**
     * Releases the mutex in the word at {@code w}, which the calling thread holds, waking a
     * waiter if one is parked.
     *
     * @throws IllegalStateException if the mutex is not locked
     */
    public void unlock(long w) {
        int v = Memory.getIntVolatile(w);
        while ((v & mutexMask) == lockedBit) {
            if (Memory.compareAndSetInt(w, v, v & ~mutexMask)) return;
            v = Memory.getIntVolatile(w);
        }
        if ((v & lockedBit) == 0) throw new IllegalStateException("unlock of a mutex that is not locked");
        unparkOne(w);
    }

    /** Whether the mutex in the word at {@code w} is held now (a racy snapshot). */
    public boolean isLocked(long w) {
        return (Memory.getIntVolatile(w) & lockedBit) != 0;
    }

    /** Whether some thread is parked on the mutex in the word at {@code w} (a racy snapshot). */
    public boolean hasParked(long w) {
        return (Memory.getIntVolatile(w) & parkedBit) != 0;
    }

    /** Contention seen so far, summed over threads; allocates only the returned record. */
    public SyncStatistics statistics() {
        return new SyncStatistics(counters.sum(ACQUISITIONS), counters.sum(CONTENDED), counters.sum(HANDOFFS),
                counters.sum(WAIT_NANOS));
    }

    /** Acquisitions that found the mutex held, summed over threads; allocates nothing. */
    public long contended() {
        return counters.sum(CONTENDED);
    }

    /** {@code _PyMutex_LockTimed} with no timeout and {@code _PY_LOCK_DETACH}. */
    private void lockSlow(long w, ThreadContext thread) {
        counters.add(thread, CONTENDED, 1);
        long start = System.nanoTime();
        long fairAt = start + TIME_TO_BE_FAIR_NS;
        boolean interrupted = false;
        boolean slept = false;
        int spins = 0;
        int v = Memory.getIntVolatile(w);
        while (true) {
            if ((v & lockedBit) == 0) {
                if (Memory.compareAndSetInt(w, v, v | lockedBit)) break;
                v = Memory.getIntVolatile(w);
                continue;
            }
            if ((v & parkedBit) == 0 && spins < spinCount) {
                Thread.yield();
                spins++;
                v = Memory.getIntVolatile(w);
                continue;
            }
            if ((v & parkedBit) == 0) {
                // The first waiter announces itself, so that the holder's unlock takes the slow path.
                if (!Memory.compareAndSetInt(w, v, v | parkedBit)) {
                    v = Memory.getIntVolatile(w);
                    continue;
                }
                v |= parkedBit;
            }
            if (!slept) {
                sleeper.beforeFirstSleep(thread);
                slept = true;
            }
            int outcome = park(w, v & mutexMask, thread, fairAt);
            if (outcome == HANDED_OFF) {
                counters.add(thread, HANDOFFS, 1);
                break;
            }
            // Woken (or the byte changed before we could sleep): compete again.
            interrupted |= Thread.interrupted();
            v = Memory.getIntVolatile(w);
        }
        counters.add(thread, WAIT_NANOS, System.nanoTime() - start);
        if (interrupted) Thread.currentThread().interrupt();
    }

    private Bucket bucket(long w) {
        return buckets[(int) ((w >>> 2) % buckets.length)];
    }

    private Waiter waiter(ThreadContext thread) {
        Waiter st = waiters[thread.id()];
        if (st == null) {
            st = new Waiter();
            waiters[thread.id()] = st;
        }
        return st;
    }

    /**
     * {@code _PyParkingLot_Park}: sleeps if the mutex byte still is {@code expected}. Returns
     * {@code HANDED_OFF} if the lock was handed to this thread, otherwise {@code WOKEN} or
     * {@code IDLE} (the byte had changed; nothing slept).
     */
    private int park(long w, int expected, ThreadContext thread, long fairAt) {
        Waiter st = waiter(thread);
        Bucket b = bucket(w);
        b.lock();
        if ((Memory.getIntVolatile(w) & mutexMask) != expected) {
            b.unlock();
            return IDLE;
        }
        st.address = w;
        st.fairAt = fairAt;
        st.thread = Thread.currentThread();
        st.next = null;
        if (b.tail == null) b.head = st;
        else b.tail.next = st;
        b.tail = st;
        PARK_STATE.setRelease(st, WAITING);
        b.unlock();

        // LockSupport.park may return spuriously, and at once while the interrupt status is set:
        // only the state the unparker wrote ends the wait.
        boolean interrupted = false;
        int s;
        sleeper.sleeping(thread);
        while ((s = (int) PARK_STATE.getAcquire(st)) == WAITING) {
            LockSupport.park(this);
            interrupted |= Thread.interrupted();
        }
        PARK_STATE.setRelease(st, IDLE);
        sleeper.woken(thread);
        if (interrupted) Thread.currentThread().interrupt();
        return s;
    }

    /** {@code _PyParkingLot_Unpark} with {@code mutex_unpark} as the callback. */
    private void unparkOne(long w) {
        Bucket b = bucket(w);
        b.lock();
        Waiter prev = null, st = b.head;
        while (st != null && st.address != w) {
            prev = st;
            st = st.next;
        }
        if (st == null) {
            // The waiter that set HAS_PARKED found the byte changed and did not sleep.
            update(w, 0, mutexMask);
            b.unlock();
            return;
        }
        if (prev == null) b.head = st.next;
        else prev.next = st.next;
        if (b.tail == st) b.tail = prev;
        boolean more = false;
        for (Waiter o = st.next; o != null; o = o.next) {
            if (o.address == w) {
                more = true;
                break;
            }
        }
        st.next = null;
        boolean handOff = System.nanoTime() - st.fairAt > 0;
        int bits = (handOff ? lockedBit : 0) | (more ? parkedBit : 0);
        int v = Memory.getIntVolatile(w);
        while (!Memory.compareAndSetInt(w, v, (v & ~mutexMask) | bits)) v = Memory.getIntVolatile(w);
        Thread waiter = st.thread;
        st.thread = null;
        PARK_STATE.setRelease(st, handOff ? HANDED_OFF : WOKEN);
        b.unlock();
        LockSupport.unpark(waiter);
    }

    /** Sets and clears bits of the word at {@code w} with a CAS, leaving the others as they are. */
    public static void update(long w, int set, int clear) {
        int v = Memory.getIntVolatile(w);
        while (!Memory.compareAndSetInt(w, v, (v | set) & ~clear)) v = Memory.getIntVolatile(w);
    }
}
