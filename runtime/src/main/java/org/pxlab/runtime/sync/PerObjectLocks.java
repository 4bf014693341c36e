package org.pxlab.runtime.sync;

import java.nio.ByteOrder;
import java.util.List;
import java.util.Objects;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.layout.HeaderField;
import org.pxlab.runtime.layout.Ranks;
import org.pxlab.runtime.layout.StructLayout;
import org.pxlab.runtime.memory.Memory;
import org.pxlab.runtime.spi.SyncDiscipline;
import org.pxlab.runtime.spi.SyncSite;
import org.pxlab.runtime.spi.SyncStatistics;

/**
 * The free-threaded build's per-object locks ({@code per-object-locks}), after PEP 703 and
 * CPython 3.13/3.14: a one-byte {@code PyMutex} in every object header
 * (<a href="https://github.com/python/cpython/blob/3.13/Python/lock.c">{@code Python/lock.c}</a>,
 * {@code Python/parking_lot.c}) and critical sections
 * (<a href="https://github.com/python/cpython/blob/3.13/Python/critical_section.c">{@code Python/critical_section.c}</a>,
 * {@code Include/internal/pycore_critical_section.h}).
 *
 * <h2>Header</h2>
 * Three fields at rank {@link Ranks#FLAGS}, declared in PEP 703's order so that they compose
 * into one naturally aligned 4-byte word: {@code ob_flags} (u16), {@code ob_mutex} (u8),
 * {@code ob_gc_bits} (u8). FFM has no one-byte CAS, so every change of the mutex byte is a
 * {@link Memory#compareAndSetInt} on the containing word that leaves the other three bytes as
 * they were; the same must hold for every other writer of {@code ob_flags} and
 * {@code ob_gc_bits} (use {@link #orFlags}, {@link #orGcBits} and friends, never a plain store),
 * or a concurrent lock bit is lost. {@link #bind} refuses a header in which the three fields do
 * not share one aligned word.
 *
 * <h2>The mutex, as lock.c has it</h2>
 * {@link MutexParkingLot} (shared with the allocators' lock): a CAS fast path, spinning with
 * yields while nobody is parked, then parking; a waiter parked over 1 ms is handed the lock.
 * The parking lot is this instance's (one per runtime), with parking_lot.c's 257 buckets.
 * Nothing is allocated on any path, contended or not, except a thread's first critical section
 * (its stack) and first sleep (its waiter record), and when a thread's critical-section stack
 * outgrows its arrays (16 deep, then doubled).
 *
 * <h2>Critical sections, as critical_section.c has them</h2>
 * <ul>
 * <li>{@link #lock} and {@link #lockPair} push a section on the thread's stack (kept by
 *     {@link ThreadContext#id()}); {@link #unlock} and {@link #unlockPair} pop it and must
 *     match the top. Locking the object (or the pair) the top section already holds is a
 *     no-op, counted so that the matching unlock is one too
 *     ({@code _PyCriticalSection_BeginSlow}'s recursion shortcut).</li>
 * <li>{@link #lockPair} locks the lower address first, and a single mutex if {@code a == b}
 *     ({@code _PyCriticalSection2_Begin}).</li>
 * <li>{@link #detach} suspends every active section: their mutexes are released and they are
 *     marked inactive ({@code _PyCriticalSection_SuspendAll}, called by
 *     {@code _PyThreadState_Detach}). {@link #attach} re-acquires the <em>top</em> section
 *     only ({@code _PyCriticalSection_Resume}); outer sections are re-acquired when the
 *     section above them ends ({@code _PyCriticalSection_Pop}), exactly as in CPython.</li>
 * <li>A thread about to park on a mutex suspends its outer sections first: CPython's
 *     {@code PyMutex_Lock} parks with {@code _PY_LOCK_DETACH}, which detaches the thread and
 *     so suspends them. This is what keeps nested sections taken in opposite orders from
 *     deadlocking. The runtime's thread state follows: around the sleep itself the thread
 *     tells its {@link SyncSite} it is {@link SyncSite#parking parking} and has
 *     {@link SyncSite#unparked woken}, so that it counts as detached for a stop-the-world while
 *     it sleeps and, once woken, waits for a stopped world to restart before it touches the
 *     mutex again.</li>
 * </ul>
 *
 * <h2>Reads</h2>
 * {@link #reads()} tells container operations how to read: {@link Reads#OPTIMISTIC} (CPython's
 * lock-free list and dict reads: load, try-incref, re-check, else lock) or {@link Reads#LOCKED}
 * (every read in a critical section). This class only carries the choice.
 *
 * <h2>Statistics</h2>
 * Per thread, summed on read: mutex acquisitions (including re-acquisitions on resume),
 * acquisitions that found the byte held (contended), hand-offs received, and nanoseconds spent
 * in the slow path (spinning or parked).
 */
public final class PerObjectLocks implements SyncDiscipline {
    /** How container reads are made. */
    public enum Reads {
        /** Lock-free reads that re-check and fall back to the lock (CPython's default). */
        OPTIMISTIC("optimistic"),
        /** Every read inside a critical section. */
        LOCKED("locked");

        private final String option;

        Reads(String option) {
            this.option = option;
        }

        /** The option value users type. */
        public String option() {
            return option;
        }
    }

    /** The field names, as PEP 703's {@code PyObject} spells them. */
    public static final String OB_FLAGS = "ob_flags", OB_MUTEX = "ob_mutex", OB_GC_BITS = "ob_gc_bits";
    /** {@code MAX_SPIN_COUNT} of lock.c in the free-threaded build. */
    public static final int DEFAULT_SPIN_COUNT = MutexParkingLot.DEFAULT_SPIN_COUNT;
    /** {@code TIME_TO_BE_FAIR_NS}: a waiter parked longer than this is handed the lock. */
    public static final long TIME_TO_BE_FAIR_NS = MutexParkingLot.TIME_TO_BE_FAIR_NS;
    /** {@code NUM_BUCKETS} of parking_lot.c. */
    static final int BUCKETS = MutexParkingLot.BUCKETS;

    /** {@code _Py_LOCKED} and {@code _Py_HAS_PARKED}, as bits of the mutex byte. */
    public static final int LOCKED = MutexParkingLot.LOCKED, HAS_PARKED = MutexParkingLot.HAS_PARKED;

    // Shifts of the fields inside the 4-byte word, for the platform's byte order.
    private static final boolean LITTLE = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
    private static final int FLAGS_SHIFT = LITTLE ? 0 : 16;
    private static final int MUTEX_SHIFT = LITTLE ? 16 : 8;
    private static final int GC_SHIFT = LITTLE ? 24 : 0;
    private static final int FLAGS_MASK = 0xFFFF << FLAGS_SHIFT;
    private static final int MUTEX_MASK = 0xFF << MUTEX_SHIFT;
    private static final int GC_MASK = 0xFF << GC_SHIFT;
    private static final int LOCKED_BIT = LOCKED << MUTEX_SHIFT;
    private static final int PARKED_BIT = HAS_PARKED << MUTEX_SHIFT;

    // Waiter states.
    private static final int IDLE = 0, WAITING = 1, WOKEN = 2, HANDED_OFF = 3;
    // Section bits.
    private static final int HELD_FIRST = 1, HELD_SECOND = 2, INACTIVE = 4, PAIR = 8;

    /** One runtime thread's critical-section stack. */
    private static final class ThreadState {
        long[] first = new long[16];
        long[] second = new long[16];
        int[] bits = new int[16];
        int[] nest = new int[16];
        int depth;

        void grow() {
            int n = first.length * 2;
            first = java.util.Arrays.copyOf(first, n);
            second = java.util.Arrays.copyOf(second, n);
            bits = java.util.Arrays.copyOf(bits, n);
            nest = java.util.Arrays.copyOf(nest, n);
        }
    }

    private final Reads reads;
    /** The header mutexes' protocol and the parking lot their waiters sleep in. */
    private final MutexParkingLot mutexes;
    private final ThreadState[] threads = new ThreadState[ThreadContext.MAX_THREADS];
    /** Offset of the 4-byte word ({@code ob_flags}) in the header; -1 until bound. */
    private int wordOffset = -1;
    /** Told when a thread sleeps on a mutex and wakes; set by {@link #bind}. */
    private SyncSite site;

    /** Optimistic reads, CPython's spin count. */
    public PerObjectLocks() {
        this(Reads.OPTIMISTIC);
    }

    public PerObjectLocks(Reads reads) {
        this(reads, DEFAULT_SPIN_COUNT);
    }

    /** @param spinCount yields before parking; 0 parks at once */
    public PerObjectLocks(Reads reads, int spinCount) {
        this.reads = Objects.requireNonNull(reads, "reads");
        this.mutexes = new MutexParkingLot(MUTEX_SHIFT, spinCount, BUCKETS, new SectionSuspendingSleeper());
    }

    /**
     * What a thread about to sleep on a header mutex does: CPython's {@code PyMutex_Lock} parks
     * with {@code _PY_LOCK_DETACH}, which suspends the sections below the one being entered (this
     * is what keeps nested sections taken in opposite orders from deadlocking), and the thread
     * counts as detached for a stop-the-world while it sleeps.
     */
    private final class SectionSuspendingSleeper implements MutexParkingLot.Sleeper {
        @Override
        public void beforeFirstSleep(ThreadContext thread) {
            ThreadState st = state(thread);
            suspend(st, st.depth - 2);
        }

        @Override
        public void sleeping(ThreadContext thread) {
            site.parking(thread);
        }

        @Override
        public void woken(ThreadContext thread) {
            site.unparked(thread); // waits here while the world is stopped, before touching the mutex
        }
    }

    /** How container operations should read: the {@code reads} option. */
    public Reads reads() {
        return reads;
    }

    /** Yields before a waiter parks. */
    public int spinCount() {
        return mutexes.spinCount();
    }

    /** {@code ob_flags} u16, {@code ob_mutex} u8, {@code ob_gc_bits} u8, at {@link Ranks#FLAGS}, in that order. */
    @Override
    public List<HeaderField> headerFields() {
        return List.of(new HeaderField(OB_FLAGS, 2, Ranks.FLAGS, "per-object-locks"),
                new HeaderField(OB_MUTEX, 1, Ranks.FLAGS, "per-object-locks"),
                new HeaderField(OB_GC_BITS, 1, Ranks.FLAGS, "per-object-locks"));
    }

    /**
     * Finds the word.
     *
     * @throws IllegalArgumentException if the three fields do not form one aligned 4-byte word
     */
    @Override
    public void bind(StructLayout header, SyncSite site) {
        Objects.requireNonNull(header, "header");
        int f = header.offsetOf(OB_FLAGS);
        int m = header.offsetOf(OB_MUTEX);
        int g = header.offsetOf(OB_GC_BITS);
        if (f % 4 != 0 || m != f + 2 || g != f + 3) {
            throw new IllegalArgumentException("per-object-locks needs ob_flags, ob_mutex, ob_gc_bits packed in one aligned"
                    + " 4-byte word; the header has them at " + f + ", " + m + ", " + g);
        }
        this.wordOffset = f;
        this.site = Objects.requireNonNull(site, "site");
    }

    /** Resumes the top critical section if a {@link #detach} suspended it. No global lock. */
    @Override
    public void attach(ThreadContext thread) {
        ThreadState st = threads[thread.id()];
        if (st != null && st.depth > 0 && (st.bits[st.depth - 1] & INACTIVE) != 0) resume(thread, st);
    }

    /** Suspends (releases) every active critical section of the thread. */
    @Override
    public void detach(ThreadContext thread) {
        ThreadState st = threads[thread.id()];
        if (st != null) suspend(st, st.depth - 1);
    }

    /** Nothing to do: this discipline sets no eval-breaker bit. */
    @Override
    public void poll(ThreadContext thread) {
    }

    @Override
    public void lock(long object, ThreadContext thread) {
        ThreadState st = state(thread);
        int d = st.depth;
        if (d > 0 && (st.first[d - 1] == object || st.second[d - 1] == object)) {
            st.nest[d - 1]++;
            return;
        }
        int i = push(st, object, 0, 0);
        acquire(object, thread);
        st.bits[i] |= HELD_FIRST;
    }

    @Override
    public void unlock(long object, ThreadContext thread) {
        ThreadState st = state(thread);
        int top = st.depth - 1;
        if (top < 0 || (st.first[top] != object && st.second[top] != object)) {
            throw new IllegalStateException("unlock(0x" + Long.toHexString(object) + ") by " + thread
                    + ": not the object of its innermost critical section");
        }
        if (st.nest[top] > 0) {
            st.nest[top]--;
            return;
        }
        if ((st.bits[top] & PAIR) != 0) {
            throw new IllegalStateException("unlock of a lockPair section by " + thread + "; use unlockPair");
        }
        pop(thread, st);
    }

    @Override
    public void lockPair(long a, long b, ThreadContext thread) {
        ThreadState st = state(thread);
        long lo = Math.min(a, b), hi = a == b ? 0 : Math.max(a, b);
        int d = st.depth;
        if (d > 0 && st.first[d - 1] == lo && st.second[d - 1] == hi) {
            st.nest[d - 1]++;
            return;
        }
        int i = push(st, lo, hi, PAIR);
        acquire(lo, thread);
        st.bits[i] |= HELD_FIRST;
        if (hi != 0) {
            acquire(hi, thread);
            st.bits[i] |= HELD_SECOND;
        }
    }

    @Override
    public void unlockPair(long a, long b, ThreadContext thread) {
        ThreadState st = state(thread);
        long lo = Math.min(a, b), hi = a == b ? 0 : Math.max(a, b);
        int top = st.depth - 1;
        if (top < 0 || st.first[top] != lo || st.second[top] != hi || (st.bits[top] & PAIR) == 0) {
            throw new IllegalStateException("unlockPair by " + thread + ": not its innermost critical section");
        }
        if (st.nest[top] > 0) {
            st.nest[top]--;
            return;
        }
        pop(thread, st);
    }

    /** Whether {@link #reads()} is {@link Reads#OPTIMISTIC}. */
    @Override
    public boolean readsOptimistically() {
        return reads == Reads.OPTIMISTIC;
    }

    /** {@code false}: threads run simulated code in parallel. */
    @Override
    public boolean serializesMutators() {
        return false;
    }

    @Override
    public SyncStatistics statistics() {
        return mutexes.statistics();
    }

    // ------------------------------------------------------------------ header word helpers

    /** Whether the object's mutex is held now (a racy snapshot). */
    public boolean isLocked(long object) {
        return mutexes.isLocked(word(object));
    }

    /** Whether some thread is parked on the object's mutex ({@code HAS_PARKED}; a racy snapshot). */
    public boolean hasParked(long object) {
        return mutexes.hasParked(word(object));
    }

    /** The object's {@code ob_flags}. */
    public int flags(long object) {
        return (Memory.getIntVolatile(word(object)) & FLAGS_MASK) >>> FLAGS_SHIFT;
    }

    /** The object's {@code ob_gc_bits}. */
    public int gcBits(long object) {
        return (Memory.getIntVolatile(word(object)) & GC_MASK) >>> GC_SHIFT;
    }

    /** Sets bits of {@code ob_flags} with a CAS on the shared word. */
    public void orFlags(long object, int bits) {
        update(word(object), (bits & 0xFFFF) << FLAGS_SHIFT, 0);
    }

    /** Clears bits of {@code ob_flags} with a CAS on the shared word. */
    public void clearFlags(long object, int bits) {
        update(word(object), 0, (bits & 0xFFFF) << FLAGS_SHIFT);
    }

    /** Sets bits of {@code ob_gc_bits} with a CAS on the shared word. */
    public void orGcBits(long object, int bits) {
        update(word(object), (bits & 0xFF) << GC_SHIFT, 0);
    }

    /** Clears bits of {@code ob_gc_bits} with a CAS on the shared word. */
    public void clearGcBits(long object, int bits) {
        update(word(object), 0, (bits & 0xFF) << GC_SHIFT);
    }

    /** How many critical sections the thread has open (active or suspended; nested no-ops not counted). */
    public int criticalSectionDepth(ThreadContext thread) {
        ThreadState st = threads[thread.id()];
        return st == null ? 0 : st.depth;
    }

    private static void update(long w, int set, int clear) {
        MutexParkingLot.update(w, set, clear);
    }

    private long word(long object) {
        int off = wordOffset;
        if (off < 0) throw new IllegalStateException("per-object-locks is not bound to a header yet");
        return object + off;
    }

    // ------------------------------------------------------------------ critical sections

    private ThreadState state(ThreadContext thread) {
        ThreadState st = threads[thread.id()];
        if (st == null) {
            st = new ThreadState();
            threads[thread.id()] = st;
        }
        return st;
    }

    private static int push(ThreadState st, long first, long second, int bits) {
        int i = st.depth;
        if (i == st.first.length) st.grow();
        st.first[i] = first;
        st.second[i] = second;
        st.bits[i] = bits;
        st.nest[i] = 0;
        st.depth = i + 1;
        return i;
    }

    /** Ends the top section: releases what it holds, pops it, resumes the new top if suspended. */
    private void pop(ThreadContext thread, ThreadState st) {
        int top = st.depth - 1;
        int b = st.bits[top];
        if ((b & INACTIVE) != 0) throw new IllegalStateException(thread + " ends a suspended critical section (detached?)");
        if ((b & HELD_SECOND) != 0) release(st.second[top]);
        if ((b & HELD_FIRST) != 0) release(st.first[top]);
        st.depth = top;
        if (top > 0 && (st.bits[top - 1] & INACTIVE) != 0) resume(thread, st);
    }

    /** {@code _PyCriticalSection_SuspendAll} from section {@code from} down, stopping at one already inactive. */
    private void suspend(ThreadState st, int from) {
        for (int i = from; i >= 0; i--) {
            int b = st.bits[i];
            if ((b & INACTIVE) != 0) break;
            if ((b & HELD_SECOND) != 0) release(st.second[i]);
            if ((b & HELD_FIRST) != 0) release(st.first[i]);
            st.bits[i] = (b & ~(HELD_FIRST | HELD_SECOND)) | INACTIVE;
        }
    }

    /** {@code _PyCriticalSection_Resume}: re-acquires the top section's mutexes. */
    private void resume(ThreadContext thread, ThreadState st) {
        int i = st.depth - 1;
        acquire(st.first[i], thread);
        st.bits[i] |= HELD_FIRST;
        if (st.second[i] != 0) {
            acquire(st.second[i], thread);
            st.bits[i] |= HELD_SECOND;
        }
        st.bits[i] &= ~INACTIVE;
    }

    // ------------------------------------------------------------------ the mutex

    private void acquire(long object, ThreadContext thread) {
        mutexes.lock(word(object), thread);
    }

    private void release(long object) {
        mutexes.unlock(word(object));
    }

    @Override
    public String toString() {
        return "per-object-locks (reads " + reads.option() + ")";
    }
}
