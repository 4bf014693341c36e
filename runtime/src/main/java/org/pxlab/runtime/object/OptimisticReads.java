package org.pxlab.runtime.object;

import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.layout.StructLayout;
import org.pxlab.runtime.layout.HeaderField;
import org.pxlab.runtime.memory.Memory;
import org.pxlab.runtime.spi.RefCountStrategy;

/**
 * CPython 3.13t's lock-free reads of list items, dict values and instance slots: load the
 * container's items (or keys table), load the item, add a reference to it unless it is dead
 * ({@link RefCountStrategy#tryIncref}), re-check that the container still holds it, and give
 * up otherwise, so that the caller reads under the container's lock. After
 * {@code Objects/listobject.c} ({@code list_get_item_ref}, {@code _Py_TryXGetRef}),
 * {@code Objects/dictobject.c} ({@code _Py_dict_lookup_threadsafe},
 * {@code compare_unicode_generic_threadsafe}) and {@code Include/internal/pycore_object.h}
 * ({@code _Py_TryIncrefCompare}); PEP 703, "Optimistically avoiding locking".
 *
 * <p><b>Why a stale pointer is safe to follow.</b> An items block or keys table that a
 * writer replaces is freed through {@code freeDelayed}, so it stays readable until this
 * thread passes a quiescent point, which it does only between operations. An item read
 * from a slot may be freed meanwhile, but its block keeps its header (the allocator
 * {@linkplain org.pxlab.runtime.spi.Allocator#preserveOnFree preserves it}), so the
 * try-incref sees a count of zero (or poison) and fails; a block already reused for a new
 * object of the same size class has a live count, and the re-check then finds that the
 * slot no longer holds it and drops the reference again.
 *
 * <p><b>Re-checks stronger than CPython's.</b> CPython re-checks only the slot. pxlab also
 * re-checks that the list's items block and size (the dict's keys table) are unchanged, so
 * that an item read from a block the list has already let go of, or from a slot past the
 * list's end, is never returned; the writers clear vacated slots and zero the unused tail of
 * a new items block (as 3.13t's {@code list_resize} does), so no slot holds garbage.
 *
 * <p>Every method returns {@link #RETRY_LOCKED} when the caller must read under the lock.
 * Nothing here allocates.
 */
final class OptimisticReads {
    /** Returned when the optimistic read gave up; the caller reads under the lock. */
    static final long RETRY_LOCKED = -1;

    private final Heap heap;
    private final int bodyOffset;

    OptimisticReads(Heap heap) {
        this.heap = heap;
        this.bodyOffset = heap.bodyOffset();
    }

    /**
     * Refuses a configuration in which a freed object's count could read as a live one: the
     * count must lie past the allocator's 8-byte free-list link in a block without a
     * pre-header, and every allocator must keep the header of a freed block.
     */
    static void checkFreedCountsReadable(StructLayout header, Space[] spaces) {
        int maxPre = 0;
        for (Space s : spaces) maxPre = Math.max(maxPre, s.preHeaderSize());
        for (Space s : spaces) {
            for (HeaderField f : s.refcount().headerFields()) {
                if (!s.refcount().readAfterFree(f)) continue;
                if (header.offsetOf(f.name()) < 8) {
                    throw new IllegalArgumentException("optimistic reads need the reference count past the first 8 bytes of"
                            + " an object (an allocator's free-list link); " + f.name() + " is at " + header.offsetOf(f.name()));
                }
            }
            if (!s.allocator().preserveOnFree(maxPre + header.size())) {
                throw new IllegalArgumentException("optimistic reads need an allocator that keeps a freed object's header;"
                        + " the allocator of space " + s.name() + " does not (Allocator.preserveOnFree)");
            }
        }
    }

    /** {@code list[index]} (negative counts from the end) as a new reference, or {@link #RETRY_LOCKED}. */
    long listItem(long list, long index, ThreadContext thread) {
        long body = list + bodyOffset;
        long n = Memory.getLongAcquire(body + Lists.SIZE);
        if (index < 0) index += n;
        if (index < 0 || index >= n) return RETRY_LOCKED; // the locked read raises IndexError, or finds it grown
        long items = Memory.getLongAcquire(body + Lists.ITEMS);
        if (items == 0) return RETRY_LOCKED;
        // The writer lowers ALLOCATED before it publishes a smaller block: read after the
        // items pointer, and confirmed by re-reading it, it bounds this block.
        long capacity = Memory.getLongAcquire(body + Lists.ALLOCATED);
        if (index >= capacity || Memory.getLongAcquire(body + Lists.ITEMS) != items) return RETRY_LOCKED;
        long slot = items + 8 * index;
        long v = Memory.getLongAcquire(slot);
        if (v == 0 || !heap.refcounts().tryIncref(v, thread)) return RETRY_LOCKED;
        if (Memory.getLongAcquire(slot) == v && Memory.getLongAcquire(body + Lists.ITEMS) == items
                && index < Memory.getLongAcquire(body + Lists.SIZE)) {
            return v;
        }
        heap.decref(v, thread);
        return RETRY_LOCKED;
    }

    /** The value for {@code key} as a new reference, 0 if absent, or {@link #RETRY_LOCKED}. */
    long dictValue(long dict, long key, ThreadContext thread) {
        long body = dict + bodyOffset;
        long keys = Memory.getLongAcquire(body + Dicts.KEYS);
        long e = entry(keys, key, heap.dicts().hashOf(key), thread);
        if (e == RETRY_LOCKED) return RETRY_LOCKED;
        if (e == 0) return Memory.getLongAcquire(body + Dicts.KEYS) == keys ? 0 : RETRY_LOCKED;
        long v = Memory.getLongAcquire(e + Dicts.E_VALUE);
        if (v == 0 || !heap.refcounts().tryIncref(v, thread)) return RETRY_LOCKED;
        if (Memory.getLongAcquire(e + Dicts.E_VALUE) == v && Memory.getLongAcquire(body + Dicts.KEYS) == keys) return v;
        heap.decref(v, thread);
        return RETRY_LOCKED;
    }

    /** Whether the key is present: 1, 0, or {@link #RETRY_LOCKED}. No reference is taken to the value. */
    long dictContains(long dict, long key, ThreadContext thread) {
        long body = dict + bodyOffset;
        long keys = Memory.getLongAcquire(body + Dicts.KEYS);
        long e = entry(keys, key, heap.dicts().hashOf(key), thread);
        if (e == RETRY_LOCKED || Memory.getLongAcquire(body + Dicts.KEYS) != keys) return RETRY_LOCKED;
        return e == 0 ? 0 : 1;
    }

    /** Instance slot {@code index} as a new reference, 0 if unset, or {@link #RETRY_LOCKED} (3.14's {@code LOAD_ATTR_SLOT}). */
    long slot(long object, long index, ThreadContext thread) {
        long at = object + bodyOffset + Instances.SLOTS + 8 * index;
        long v = Memory.getLongAcquire(at);
        if (v == 0) return 0;
        if (!heap.refcounts().tryIncref(v, thread)) return RETRY_LOCKED;
        if (Memory.getLongAcquire(at) == v) return v;
        heap.decref(v, thread);
        return RETRY_LOCKED;
    }

    /**
     * The entry holding {@code key} in a keys table that may be stale, 0 if none, or
     * {@link #RETRY_LOCKED}. Keys are compared by identity, else by hash and then content
     * with a reference held on the stored key for the comparison, as
     * {@code compare_generic_threadsafe} does, so that a key freed meanwhile is not read.
     */
    private long entry(long keys, long key, long hash, ThreadContext thread) {
        long mask = (1L << Memory.getLong(keys + Dicts.K_LOG2)) - 1;
        long entries = Dicts.entries(keys);
        long i = hash & mask;
        long perturb = hash;
        for (long probes = 0; probes <= mask; probes++) {
            int ix = Memory.getIntVolatile(keys + Dicts.K_INDICES + 4 * i);
            if (ix == Dicts.EMPTY) return 0;
            if (ix >= 0) {
                long e = entries + (long) ix * Dicts.ENTRY;
                long k = Memory.getLongAcquire(e + Dicts.E_KEY);
                if (k == key) return e;
                if (k != 0 && Memory.getLong(e + Dicts.E_HASH) == hash) {
                    if (!heap.refcounts().tryIncref(k, thread)) return RETRY_LOCKED;
                    boolean same = Memory.getLongAcquire(e + Dicts.E_KEY) == k && heap.dicts().keyEquals(k, key);
                    heap.decref(k, thread);
                    if (same) return e;
                }
            }
            perturb >>>= 5;
            i = (i * 5 + perturb + 1) & mask;
        }
        return RETRY_LOCKED; // a table changing under the probe: let the lock settle it
    }
}
