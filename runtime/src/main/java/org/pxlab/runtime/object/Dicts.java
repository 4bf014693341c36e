package org.pxlab.runtime.object;

import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.memory.Memory;
import org.pxlab.runtime.spi.StoreOperation;

/**
 * {@code dict}: CPython's compact, insertion-ordered table (3.6+). The body holds the number
 * of items and a pointer to a keys block in the same space:
 *
 * <pre>
 * keys block: log2(size) | usable | nentries | int32 indices[size] | entries[usable at creation]
 * entry:      hash | key | value        (24 bytes)
 * </pre>
 *
 * An index is an entry number, {@link #EMPTY} or {@link #DUMMY} (a deleted slot, which a
 * probe passes over and an insert may reuse). Probing is CPython's: start at
 * {@code hash & mask}, then {@code i = 5i + perturb + 1} with {@code perturb >>= 5}. A table
 * holds at most 2/3 of its size in entries; when they run out it is rebuilt at
 * {@code used * 3} rounded up to a power of two ({@code GROWTH_RATE}), which drops deleted
 * entries. Keys compare by identity first, then by hash and content.
 */
public final class Dicts {
    /** Dict body offsets. */
    public static final int USED = 0, KEYS = 8, BODY = 16;
    /** Keys block offsets. */
    static final int K_LOG2 = 0, K_USABLE = 8, K_NENTRIES = 16, K_INDICES = 24;
    static final int ENTRY = 24, E_HASH = 0, E_KEY = 8, E_VALUE = 16;
    public static final int EMPTY = -1, DUMMY = -2;
    /** Key iterator body offsets ({@code dictiterobject}: the dict, its size when iteration began, the entry position). */
    public static final int ITER_DICT = 0, ITER_USED = 8, ITER_POS = 16, ITERATOR_BODY = 24;
    /** {@code PyDict_MINSIZE}. */
    public static final int MIN_LOG2 = 3;

    private final Heap heap;

    Dicts(Heap heap) {
        this.heap = heap;
    }

    // ---- keys block geometry ----

    static long usableFraction(long size) {
        return (size << 1) / 3;
    }

    public static long keysBlockSize(int log2) {
        long size = 1L << log2;
        return K_INDICES + 4 * size + ENTRY * usableFraction(size);
    }

    static long entries(long keys) {
        return keys + K_INDICES + 4 * (1L << Memory.getLong(keys + K_LOG2));
    }

    private long newKeys(Space space, int log2, ThreadContext thread) {
        long keys = heap.allocateRaw(space, keysBlockSize(log2), thread);
        long size = 1L << log2;
        Memory.putLong(keys + K_LOG2, log2);
        Memory.putLong(keys + K_USABLE, usableFraction(size));
        Memory.putLong(keys + K_NENTRIES, 0L);
        for (long i = 0; i < size; i++) Memory.putInt(keys + K_INDICES + 4 * i, EMPTY);
        return keys;
    }

    // ---- construction ----

    /** An empty, tracked dict. New reference. */
    public long newDict(ThreadContext thread) {
        long d = heap.allocate(heap.types().dictType(), TypeKind.DICT, BODY, thread);
        long body = d + heap.bodyOffset();
        Memory.putLong(body + USED, 0L);
        Memory.putLong(body + KEYS, newKeys(heap.spaceOf(d), MIN_LOG2, thread));
        heap.track(d, thread);
        return d;
    }

    static void freeKeys(Heap heap, Space space, long body, ThreadContext thread) {
        long keys = Memory.getLong(body + KEYS);
        heap.freeRaw(space, keys, keysBlockSize((int) Memory.getLong(keys + K_LOG2)), thread);
    }

    // ---- hashing and equality ----

    /** {@code hash(o)} for the types pxlab uses as keys; identity hash for the rest. */
    public long hashOf(long o) {
        return switch (heap.kindOf(o)) {
            case STR, BYTES -> heap.strings().hash(o);
            case INT, BOOL -> {
                long v = heap.numbers().intValue(o);
                yield v == -1 ? -2 : v;
            }
            case FLOAT -> {
                double v = heap.numbers().floatValue(o);
                long asLong = (long) v;
                long h = asLong == v ? asLong : Double.doubleToLongBits(v) * 0x9E3779B97F4A7C15L;
                yield h == -1 ? -2 : h;
            }
            default -> Long.rotateRight(o, 4); // _Py_HashPointer
        };
    }

    boolean keyEquals(long a, long b) {
        if (a == b) return true;
        TypeKind ka = heap.kindOf(a), kb = heap.kindOf(b);
        if ((ka == TypeKind.STR && kb == TypeKind.STR) || (ka == TypeKind.BYTES && kb == TypeKind.BYTES)) {
            return heap.strings().equal(a, b);
        }
        boolean ia = ka == TypeKind.INT || ka == TypeKind.BOOL, ib = kb == TypeKind.INT || kb == TypeKind.BOOL;
        if (ia && ib) return heap.numbers().intValue(a) == heap.numbers().intValue(b);
        if (ka == TypeKind.FLOAT && kb == TypeKind.FLOAT) return heap.numbers().floatValue(a) == heap.numbers().floatValue(b);
        return false;
    }

    // ---- lookup ----

    /** Entry number of the key, or -1. */
    private long lookup(long keys, long key, long hash) {
        long mask = (1L << Memory.getLong(keys + K_LOG2)) - 1;
        long entries = entries(keys);
        long i = hash & mask;
        long perturb = hash;
        for (;;) {
            int ix = Memory.getInt(keys + K_INDICES + 4 * i);
            if (ix == EMPTY) return -1;
            if (ix >= 0) {
                long e = entries + (long) ix * ENTRY;
                long k = Memory.getLong(e + E_KEY);
                if (k == key || (Memory.getLong(e + E_HASH) == hash && keyEquals(k, key))) return ix;
            }
            perturb >>>= 5;
            i = (i * 5 + perturb + 1) & mask;
        }
    }

    /** Index slot of the entry number {@code ix} with this hash (for deletion). */
    private long slotOf(long keys, long hash, long ix) {
        long mask = (1L << Memory.getLong(keys + K_LOG2)) - 1;
        long i = hash & mask;
        long perturb = hash;
        while (Memory.getInt(keys + K_INDICES + 4 * i) != ix) {
            perturb >>>= 5;
            i = (i * 5 + perturb + 1) & mask;
        }
        return i;
    }

    /** First EMPTY or DUMMY slot on the probe sequence ({@code find_empty_slot}). */
    private static long findEmptySlot(long keys, long hash) {
        long mask = (1L << Memory.getLong(keys + K_LOG2)) - 1;
        long i = hash & mask;
        long perturb = hash;
        while (Memory.getInt(keys + K_INDICES + 4 * i) >= 0) {
            perturb >>>= 5;
            i = (i * 5 + perturb + 1) & mask;
        }
        return i;
    }

    /** {@code PyDict_GetItem}: the value for {@code key}, or 0. Borrowed; the key is borrowed too. */
    public long getItem(long dict, long key) {
        long keys = Memory.getLong(dict + heap.bodyOffset() + KEYS);
        long ix = lookup(keys, key, hashOf(key));
        return ix < 0 ? 0 : Memory.getLong(entries(keys) + ix * ENTRY + E_VALUE);
    }

    /** Whether the key is present. */
    public boolean contains(long dict, long key) {
        return getItem(dict, key) != 0;
    }

    /**
     * The value for {@code key} as a new reference, or 0 (then nothing is taken): the read of
     * {@code PyDict_GetItemRef} / {@code BINARY_SUBSCR_DICT} / {@code LOAD_GLOBAL}, made as
     * the configuration reads ({@link CriticalSections#reads()}).
     */
    public long getItemRef(long dict, long key, ThreadContext thread) {
        CriticalSections cs = heap.sections();
        if (cs.reads() == CriticalSections.Reads.OPTIMISTIC) {
            long v = heap.optimisticReads().dictValue(dict, key, thread);
            if (v != OptimisticReads.RETRY_LOCKED) return v;
        }
        cs.enter(dict, thread);
        try {
            long v = getItem(dict, key);
            if (v != 0) heap.incref(v, thread);
            return v;
        } finally {
            cs.exit(dict, thread);
        }
    }

    /** Whether the key is present, read as the configuration reads; takes no reference. */
    public boolean contains(long dict, long key, ThreadContext thread) {
        CriticalSections cs = heap.sections();
        if (cs.reads() == CriticalSections.Reads.OPTIMISTIC) {
            long r = heap.optimisticReads().dictContains(dict, key, thread);
            if (r != OptimisticReads.RETRY_LOCKED) return r != 0;
        }
        cs.enter(dict, thread);
        try {
            return getItem(dict, key) != 0;
        } finally {
            cs.exit(dict, thread);
        }
    }

    // ---- mutation ----

    /** {@code PyDict_SetItem}: stores new references to the key and value. */
    public void setItem(long dict, long key, long value, ThreadContext thread) {
        heap.incref(key, thread);
        heap.incref(value, thread);
        setItemTake2(dict, key, value, thread);
    }

    /**
     * {@code PyDict_SetItem} into a dict that no other thread can reach yet (one being
     * built), without its critical section, as {@code _PyDict_FromItems} stores.
     */
    public void initItem(long dict, long key, long value, ThreadContext thread) {
        heap.incref(key, thread);
        heap.incref(value, thread);
        insert(dict, key, value, thread);
    }

    /**
     * {@code _PyDict_SetItem_Take2} / {@code insertdict}: steals both references. If the key
     * was present its old value is released and the passed key reference dropped (the
     * stored key object stays). In the dict's critical section ({@code PyDict_SetItem} and
     * {@code STORE_SUBSCR_DICT} take it in 3.13t).
     */
    public void setItemTake2(long dict, long key, long value, ThreadContext thread) {
        CriticalSections cs = heap.sections();
        cs.enter(dict, thread);
        try {
            insert(dict, key, value, thread);
        } finally {
            cs.exit(dict, thread);
        }
    }

    /** {@code insertdict} with the lock held (or no other thread able to reach the dict). */
    private void insert(long dict, long key, long value, ThreadContext thread) {
        long body = dict + heap.bodyOffset();
        long hash = hashOf(key);
        long keys = Memory.getLong(body + KEYS);
        long ix = lookup(keys, key, hash);
        StoreOperation op = ix >= 0 ? StoreOperation.DICT_REPLACE
                : Memory.getLong(keys + K_USABLE) <= 0 ? StoreOperation.DICT_INSERT_RESIZE : StoreOperation.DICT_INSERT;
        value = admitValue(dict, key, value, op, thread);
        if (ix >= 0) {
            long e = entries(keys) + ix * ENTRY;
            long old = Memory.getLong(e + E_VALUE);
            Memory.putLongRelease(e + E_VALUE, value);
            heap.decref(old, thread);
            heap.decref(heap.admitStolen(dict, key, StoreOperation.DICT_REPLACE_KEY, thread), thread);
            return;
        }
        try {
            key = heap.admitStolen(dict, key, op, thread);
        } catch (PersistenceViolation e) {
            heap.xdecref(value, thread); // the value's reference was stolen too
            throw e;
        }
        insertAdmitted(dict, body, keys, key, hash, value, op == StoreOperation.DICT_INSERT_RESIZE, thread);
    }

    private void insertAdmitted(long dict, long body, long keys, long key, long hash, long value, boolean resizes,
                                ThreadContext thread) {
        if (resizes) keys = resize(dict, body, keys, thread);
        long slot = findEmptySlot(keys, hash);
        long n = Memory.getLong(keys + K_NENTRIES);
        long e = entries(keys) + n * ENTRY;
        Memory.putLong(e + E_HASH, hash);
        Memory.putLong(e + E_KEY, key);
        Memory.putLong(e + E_VALUE, value);
        // The entry before the index that leads to it, for lock-free readers (OptimisticReads).
        Memory.putIntRelease(keys + K_INDICES + 4 * slot, (int) n);
        Memory.putLong(keys + K_NENTRIES, n + 1);
        Memory.putLong(keys + K_USABLE, Memory.getLong(keys + K_USABLE) - 1);
        Memory.putLong(body + USED, Memory.getLong(body + USED) + 1);
    }

    /** The value half of a two-reference store: on refusal the stolen key is released too. */
    private long admitValue(long dict, long key, long value, StoreOperation operation, ThreadContext thread) {
        try {
            return heap.admitStolen(dict, value, operation, thread);
        } catch (PersistenceViolation e) {
            heap.decref(key, thread);
            throw e;
        }
    }

    /**
     * Replaces the value of a present key in place, stealing {@code value} and releasing the
     * old one (a specialised store that found its entry); returns false, taking nothing,
     * when the key is absent.
     */
    public boolean replaceValueTake(long dict, long key, long value, ThreadContext thread) {
        CriticalSections cs = heap.sections();
        cs.enter(dict, thread);
        try {
            long keys = Memory.getLong(dict + heap.bodyOffset() + KEYS);
            long ix = lookup(keys, key, hashOf(key));
            if (ix < 0) return false;
            value = heap.admitStolen(dict, value, StoreOperation.DICT_REPLACE, thread);
            long e = entries(keys) + ix * ENTRY;
            long old = Memory.getLong(e + E_VALUE);
            Memory.putLongRelease(e + E_VALUE, value);
            heap.decref(old, thread);
            return true;
        } finally {
            cs.exit(dict, thread);
        }
    }

    /**
     * {@code del d[key]}: releases the stored key and value.
     *
     * @return whether the key was present
     */
    public boolean delItem(long dict, long key, ThreadContext thread) {
        CriticalSections cs = heap.sections();
        cs.enter(dict, thread);
        try {
            return delete(dict, key, thread);
        } finally {
            cs.exit(dict, thread);
        }
    }

    /** {@code delitem_common} with the lock held. */
    private boolean delete(long dict, long key, ThreadContext thread) {
        long body = dict + heap.bodyOffset();
        long keys = Memory.getLong(body + KEYS);
        long hash = hashOf(key);
        long ix = lookup(keys, key, hash);
        if (ix < 0) return false;
        heap.admitRemoval(dict, StoreOperation.DICT_DELETE, thread);
        long e = entries(keys) + ix * ENTRY;
        Memory.putInt(keys + K_INDICES + 4 * slotOf(keys, Memory.getLong(e + E_HASH), ix), DUMMY);
        long oldKey = Memory.getLong(e + E_KEY), oldValue = Memory.getLong(e + E_VALUE);
        Memory.putLong(e + E_KEY, 0L);
        Memory.putLong(e + E_VALUE, 0L);
        Memory.putLong(body + USED, Memory.getLong(body + USED) - 1);
        heap.decref(oldKey, thread);
        heap.decref(oldValue, thread);
        return true;
    }

    /** Rebuilds the table at {@code GROWTH_RATE = used * 3}, dropping deleted entries; returns the new keys block. */
    private long resize(long dict, long body, long oldKeys, ThreadContext thread) {
        long used = Memory.getLong(body + USED);
        int log2 = 64 - Long.numberOfLeadingZeros((used * 3) | ((1L << MIN_LOG2) - 1));
        Space space = heap.spaceOf(dict);
        long keys = newKeys(space, log2, thread);
        long from = entries(oldKeys), to = entries(keys);
        long n = Memory.getLong(oldKeys + K_NENTRIES);
        long j = 0;
        for (long i = 0; i < n; i++) {
            long e = from + i * ENTRY;
            long k = Memory.getLong(e + E_KEY);
            if (k == 0) continue;
            long hash = Memory.getLong(e + E_HASH);
            Memory.copy(e, to + j * ENTRY, ENTRY);
            Memory.putInt(keys + K_INDICES + 4 * findEmptySlot(keys, hash), (int) j);
            j++;
        }
        Memory.putLong(keys + K_NENTRIES, j);
        Memory.putLong(keys + K_USABLE, Memory.getLong(keys + K_USABLE) - j);
        Memory.putLongRelease(body + KEYS, keys);
        // Unlinked first, then freed: through QSBR when readers may still be in it (free_keys_object).
        heap.freeRawUnlinked(space, oldKeys, keysBlockSize((int) Memory.getLong(oldKeys + K_LOG2)), thread);
        return keys;
    }

    /**
     * {@code dict.clear()}: empties the table first (indices reset, no entries), then
     * releases the old keys and values, which are still in the block until then.
     */
    public void clear(long dict, ThreadContext thread) {
        CriticalSections cs = heap.sections();
        cs.enter(dict, thread);
        try {
            clearLocked(dict, thread);
        } finally {
            cs.exit(dict, thread);
        }
    }

    private void clearLocked(long dict, ThreadContext thread) {
        long body = dict + heap.bodyOffset();
        long keys = Memory.getLong(body + KEYS);
        long size = 1L << Memory.getLong(keys + K_LOG2);
        long n = Memory.getLong(keys + K_NENTRIES);
        if (n == 0) return;
        heap.admitRemoval(dict, StoreOperation.DICT_CLEAR, thread);
        for (long i = 0; i < size; i++) Memory.putInt(keys + K_INDICES + 4 * i, EMPTY);
        Memory.putLong(keys + K_NENTRIES, 0L);
        Memory.putLong(keys + K_USABLE, usableFraction(size));
        Memory.putLong(body + USED, 0L);
        long e = entries(keys);
        for (long i = 0; i < n; i++, e += ENTRY) {
            long k = Memory.getLong(e + E_KEY), v = Memory.getLong(e + E_VALUE);
            if (k == 0) continue;
            Memory.putLong(e + E_KEY, 0L);
            Memory.putLong(e + E_VALUE, 0L);
            heap.decref(k, thread);
            heap.decref(v, thread);
        }
    }

    // ---- inspection and iteration ----

    /** {@code len(d)}. */
    public long size(long dict) {
        return Memory.getLong(dict + heap.bodyOffset() + USED);
    }

    /** Entry slots in use or deleted; iterate {@code 0 .. entrySlots-1} and skip those whose key is 0. */
    public long entrySlots(long dict) {
        return Memory.getLong(Memory.getLong(dict + heap.bodyOffset() + KEYS) + K_NENTRIES);
    }

    /** Key of entry {@code i}, or 0 if deleted. Borrowed. */
    public long entryKey(long dict, long i) {
        return Memory.getLong(entries(Memory.getLong(dict + heap.bodyOffset() + KEYS)) + i * ENTRY + E_KEY);
    }

    /** Value of entry {@code i}, or 0 if deleted. Borrowed. */
    public long entryValue(long dict, long i) {
        return Memory.getLong(entries(Memory.getLong(dict + heap.bodyOffset() + KEYS)) + i * ENTRY + E_VALUE);
    }

    /** Size of the index table (a power of two). */
    public long tableSize(long dict) {
        return 1L << Memory.getLong(Memory.getLong(dict + heap.bodyOffset() + KEYS) + K_LOG2);
    }

    /** {@code iter(dict)}: a key iterator holding a new reference to the dict. New reference. */
    public long newKeyIterator(long dict, ThreadContext thread) {
        long it = heap.allocate(heap.types().dictKeyIteratorType(), TypeKind.DICT_KEY_ITERATOR, ITERATOR_BODY, thread);
        long body = it + heap.bodyOffset();
        Memory.putLong(body + ITER_DICT, heap.newRef(dict, thread));
        Memory.putLong(body + ITER_USED, size(dict));
        Memory.putLong(body + ITER_POS, 0L);
        heap.track(it, thread);
        return it;
    }

    /**
     * The next key as a new reference, or 0 when exhausted, when the iterator drops its dict
     * ({@code dictiter_iternextkey}).
     *
     * @throws PyException RuntimeError if the dict changed size during iteration
     */
    public long nextKey(long iterator, ThreadContext thread) {
        long body = iterator + heap.bodyOffset();
        long dict = Memory.getLong(body + ITER_DICT);
        if (dict == 0) return 0;
        // pxlab reads the next key in the dict's critical section under both read modes
        // (3.13t's dictiter_iternextkey reads it lock-free); an uncontended lock per key.
        CriticalSections cs = heap.sections();
        cs.enter(dict, thread);
        long key;
        try {
            key = nextKeyLocked(body, dict, thread);
        } finally {
            cs.exit(dict, thread);
        }
        if (key == 0) {
            Memory.putLong(body + ITER_DICT, 0L);
            heap.decref(dict, thread);
        }
        return key;
    }

    /** The next key as a new reference, or 0 at the end (the iterator then still holds the dict). */
    private long nextKeyLocked(long body, long dict, ThreadContext thread) {
        if (Memory.getLong(body + ITER_USED) != size(dict)) {
            Memory.putLong(body + ITER_USED, -1L);
            throw new PyException("RuntimeError", "dictionary changed size during iteration");
        }
        long keys = Memory.getLong(dict + heap.bodyOffset() + KEYS);
        long n = Memory.getLong(keys + K_NENTRIES);
        long e = entries(keys);
        for (long i = Memory.getLong(body + ITER_POS); i < n; i++) {
            long k = Memory.getLong(e + i * ENTRY + E_KEY);
            if (k != 0) {
                Memory.putLong(body + ITER_POS, i + 1);
                return heap.newRef(k, thread);
            }
        }
        return 0;
    }

    static void traverse(long body, ReferenceVisitor visitor) {
        long keys = Memory.getLong(body + KEYS);
        long e = entries(keys);
        long n = Memory.getLong(keys + K_NENTRIES);
        for (long i = 0; i < n; i++, e += ENTRY) {
            long k = Memory.getLong(e + E_KEY);
            if (k == 0) continue;
            visitor.visit(k);
            visitor.visit(Memory.getLong(e + E_VALUE));
        }
    }
}
