package org.pxlab.refcount;

import java.util.List;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.layout.HeaderField;
import org.pxlab.runtime.layout.Ranks;
import org.pxlab.runtime.layout.StructLayout;
import org.pxlab.runtime.memory.Memory;
import org.pxlab.runtime.spi.RefCountStrategy;

/**
 * Interlocked reference counts ({@code interlocked}): one 64-bit {@code ob_refcnt}, every
 * update an atomic read-modify-write. This is the "conventional approach" to removing the
 * GIL that PyParallel's author argued against, built in its strongest fair form: the
 * cheapest orderings that are still correct, and no lock.
 *
 * <p><b>Sources.</b>
 * <ul>
 * <li>Rust's {@code Arc} ({@code alloc/src/sync.rs}): {@code clone} is
 *     {@code strong.fetch_add(1, Relaxed)}; {@code drop} is
 *     {@code strong.fetch_sub(1, Release)} and, only when that removed the last reference,
 *     {@code fence(Acquire)} before the value is destroyed. This class does exactly that.</li>
 * <li>Swift's ARC: every retain and release is an atomic RMW on a 64-bit word inline in the
 *     object (the cost Biased Reference Counting, PACT 2018, measured at 42% of client
 *     time).</li>
 * <li>Greg Stein's fine-grained-locking ("free threading") CPython patch of the 1.4 era:
 *     interlocked counts and locks instead of the GIL, about 2x slower single-threaded
 *     (Python FAQ). The design the seed mails reject.</li>
 * </ul>
 * On x86-64 each update is one {@code lock xadd}: about 18-21 cycles uncontended against a
 * plain add's ~2, and ~115-130 cycles when another core writes the same cache line. Those
 * are the costs this strategy exists to expose; beyond them it adds only the immortal check
 * (one load and compare before the RMW, as every PEP 683 build pays), which {@code Arc} has
 * no need for.
 *
 * <p><b>Orderings, and why they suffice.</b> An increment needs no ordering: a thread can
 * only add a reference through one it already holds, so it cannot race the count to zero,
 * and nothing is published by it. A decrement must make this thread's earlier writes to the
 * object happen-before its deallocation by whichever thread removes the last reference:
 * release on every decrement, plus an acquire fence on the one that reaches zero, which
 * pairs with the releases of all the earlier decrements (their RMWs form a release
 * sequence). Paying acquire on every decrement would be an over-charge; a relaxed decrement
 * would be a use-after-free race on weakly ordered hardware. The JDK offers no relaxed
 * {@code getAndAdd}, so {@link Memory#getAndAddLongRelaxed} uses acquire: the same
 * {@code lock xadd} on x86-64, possibly a stronger instruction than needed on weakly ordered
 * hardware. On x86-64 the acquire fence emits no instruction (it only stops the compiler
 * moving loads above it).
 *
 * <p><b>Immortality.</b> CPython 3.12 (PEP 683) treats {@code ob_refcnt} as immortal when
 * its low 32 bits read negative, and skips the update; this strategy keeps that shape (a
 * range of counts is immortal, tested before any write, and an immortal is never written)
 * but moves the range out of reach: a count at or above {@link #IMMORTAL_THRESHOLD}
 * ({@code 2^62}) is immortal, and {@link #makeImmortal} stores {@link #IMMORTAL_REFCNT}
 * ({@code 3 << 61}, the middle of the immortal range, as later CPython's
 * {@code _Py_IMMORTAL_INITIAL_REFCNT = 3 << 30} sits in the middle of its own).
 * <ul>
 * <li><em>Why not bit 31, as in 3.12?</em> In 3.12 a mortal object that reaches 2^31
 *     references becomes immortal in effect, which is safe only because the GIL serialises
 *     the check and the update. With atomics it is not: if one thread's increment finds the
 *     count at the threshold and skips, while another thread's decrement, which passed its
 *     own check just below the threshold, then lands, the count is mortal again and one
 *     reference short, and the object is freed while still referenced. A count of 2^62
 *     cannot be reached by counting (2^62 references need 2^65 bytes of pointers), so the
 *     only way into the immortal range is {@link #makeImmortal}.</li>
 * <li><em>Why the unsynchronised pre-check is safe.</em> The check is a relaxed
 *     ({@linkplain Memory#getLongOpaque opaque}) load, one plain {@code mov} on x86-64 and
 *     AArch64, but unlike a Java plain load it cannot tear and is coherent: once a thread
 *     has seen a value of the word it never reads an older one. An immortal object never
 *     becomes mortal, so a check that sees "immortal" is true forever and skipping the RMW
 *     is correct. A check that sees "mortal" is stale only if {@link #makeImmortal} races
 *     it; the RMW that follows then lands on the immortal value and moves it by one. That
 *     RMW reads the newest value, so by coherence the thread's next check sees the immortal
 *     range: each thread has at most one such stray update in flight per object, and
 *     {@code 2^61} of headroom on either side of {@link #IMMORTAL_REFCNT} absorbs them
 *     (the count can neither leave the range nor overflow the sign bit). Outside that race
 *     an immortal object's word is never written, so immortals cost no cache-line
 *     ping-pong: the point of PEP 683 for a shared-memory runtime.</li>
 * <li>A use-after-free that reads poison ({@code 0xDDDD...}, negative) sees a mortal count,
 *     as it would under {@code plain}; nothing here hides it.</li>
 * </ul>
 *
 * <p>{@link #initialize} is a plain store: the object has not been published to another
 * thread yet, and whatever publishes it (a store into a shared container under a lock, a
 * queue) orders the store before any other thread's access, as {@code Arc::new} does.
 */
public final class InterlockedRefCount implements RefCountStrategy {
    /** Counts at or above this are immortal: {@code 2^62}, unreachable by counting. */
    public static final long IMMORTAL_THRESHOLD = 1L << 62;
    /**
     * The count {@link #makeImmortal} stores: {@code 3 << 61}, {@code 2^61} above the threshold
     * and {@code 2^61 - 1} below {@link Long#MAX_VALUE}, so stray racing updates never leave the range.
     */
    public static final long IMMORTAL_REFCNT = 3L << 61;

    /** Same name, size and rank as {@code plain}'s, so the two configurations' layouts compare. */
    private static final HeaderField OB_REFCNT = new HeaderField("ob_refcnt", 8, Ranks.REFCOUNT, "interlocked");
    private int refcnt = -1;

    @Override
    public List<HeaderField> headerFields() {
        return List.of(OB_REFCNT);
    }

    @Override
    public void bind(StructLayout header) {
        refcnt = header.offsetOf("ob_refcnt");
    }

    @Override
    public void initialize(long object, ThreadContext thread) {
        // Not yet visible to any other thread: no atomic needed (Arc::new).
        Memory.putLong(object + refcnt, 1L);
    }

    @Override
    public void incref(long object, ThreadContext thread) {
        long at = object + refcnt;
        // PEP 683: an immortal's word is never written, so it stays shared in every cache.
        if (Memory.getLongOpaque(at) >= IMMORTAL_THRESHOLD) return;
        // Arc::clone: fetch_add(1, Relaxed). The caller holds a reference, so the count is at
        // least 1 and cannot reach zero under us; nothing is published.
        Memory.getAndAddLongRelaxed(at, 1L);
    }

    /**
     * {@code _Py_TryIncrefCompare}'s increment for one count ({@code _Py_TryIncRefShared} in
     * CPython 3.13t, {@code Include/internal/pycore_object.h}): a CAS loop that adds one
     * unless the count is zero. A zero count means the object is dead (its last decrement
     * happened, and the allocator keeps a freed block's count at zero), and no reference may
     * be taken: the caller falls back to reading under the container's lock. Once the count
     * has been seen non-zero the CAS makes the increment conditional on it still being that
     * value, so a decrement to zero racing with it makes it retry and fail. Relaxed would
     * suffice for the increment itself (as in {@link #incref}); the caller's re-check of the
     * slot is what orders the read.
     */
    @Override
    public boolean tryIncref(long object, ThreadContext thread) {
        long at = object + refcnt;
        long v = Memory.getLongOpaque(at);
        while (true) {
            if (v >= IMMORTAL_THRESHOLD) return true;
            if (v <= 0) return false;
            if (Memory.compareAndSetLong(at, v, v + 1)) return true;
            v = Memory.getLongVolatile(at);
        }
    }

    @Override
    public boolean decref(long object, ThreadContext thread) {
        long at = object + refcnt;
        if (Memory.getLongOpaque(at) >= IMMORTAL_THRESHOLD) return false;
        // Arc::drop: fetch_sub(1, Release), so this thread's writes to the object come before
        // the deallocation by whichever thread drops the last reference.
        if (Memory.getAndAddLongRelease(at, -1L) != 1L) return false;
        // The last reference: acquire, pairing with every earlier release decrement, before
        // the caller reads the object to release its children and frees the block.
        Memory.acquireFence();
        return true;
    }

    @Override
    public long referenceCount(long object) {
        // A collector or a test reads the count across threads: acquire, so that what it
        // then reads of the object is at least as new as the count.
        return Memory.getLongAcquire(object + refcnt);
    }

    @Override
    public void makeImmortal(long object) {
        // A store, not an RMW, as CPython's _Py_SetImmortal: increments and decrements that
        // race it are either overwritten (harmless, the count no longer matters) or move the
        // immortal value by one each (absorbed by the headroom). Release, so a thread that
        // receives the object through a later acquire sees it immortal.
        Memory.putLongRelease(object + refcnt, IMMORTAL_REFCNT);
    }

    @Override
    public boolean isImmortal(long object) {
        return Memory.getLongAcquire(object + refcnt) >= IMMORTAL_THRESHOLD;
    }

    @Override
    public boolean isThreadSafe() {
        return true;
    }
}
