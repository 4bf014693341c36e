package org.pxlab.runtime.object;

import org.pxlab.runtime.exec.ThreadContext;

/**
 * Functions of CPython's C extension modules that pxlab's workloads import, implemented as
 * {@link NativeFunction}s with the reference traffic of their C code.
 */
public final class NativeModules {
    private NativeModules() {}

    /**
     * {@code _bisect.bisect_left(a, x)} over a list of strings: CPython's
     * {@code internal_bisect_left} reads each probed item with {@code PySequence_GetItem}
     * (+1) and releases it after the comparison (-1). Returns the insertion point, a new int.
     */
    public static long bisectLeft(Heap h, ThreadContext t, long self, long[] args, int base, int n) {
        if (n != 2) throw new PyException("TypeError", "bisect_left expected 2 arguments, got " + n);
        long list = args[base], x = args[base + 1];
        long lo = 0, hi = h.lists().size(list);
        while (lo < hi) {
            long mid = (lo + hi) >>> 1;
            long item = h.lists().getItemRef(list, mid, t);
            boolean less = h.strings().compare(item, x) < 0;
            h.decref(item, t);
            if (less) lo = mid + 1;
            else hi = mid;
        }
        return h.numbers().newInt(lo, t);
    }
    /**
     * {@code _collections._count_elements(mapping, iterable)}, the C helper behind
     * {@code Counter.update}, for a dict and a list: {@code PyObject_GetIter} (+1 list);
     * for each key, {@code PyIter_Next} (+1 key), a borrowed lookup, then either
     * {@code _PyDict_SetItem_KnownHash(mapping, key, 1)} (+1 key, +1 one) for a new key, or
     * {@code PyNumber_Add(old, 1)} (a new int) stored with {@code _PyDict_SetItem_KnownHash}
     * (+1 key, +1 value; -1 old, -1 key, as {@code insertdict} does for a present key) and
     * released ({@code Py_CLEAR(newval)}, -1 value); then {@code Py_DECREF(key)}. The
     * exhausted iterator drops the list (-1 list) and is released (-1 iterator). Returns
     * {@code None}. It runs inside one call: under a GIL no other thread counts meanwhile;
     * without one, pxlab runs it in a critical section on the dict and the list (lower address
     * first), so that each count is a read-modify-write no other thread interleaves.
     */
    public static long countElements(Heap h, ThreadContext t, long self, long[] args, int base, int n) {
        if (n != 2) throw new PyException("TypeError", "_count_elements expected 2 arguments, got " + n);
        long mapping = args[base], iterable = args[base + 1];
        if (h.kindOf(mapping) != TypeKind.DICT || h.kindOf(iterable) != TypeKind.LIST) {
            throw new PyException("TypeError", "pxlab's _count_elements counts a list's items into a dict");
        }
        CriticalSections cs = h.sections();
        cs.enterPair(mapping, iterable, t);
        try {
            countInto(h, t, mapping, iterable);
        } finally {
            cs.exitPair(mapping, iterable, t);
        }
        return h.types().none();
    }

    private static void countInto(Heap h, ThreadContext t, long mapping, long iterable) {
        long it = h.lists().newIterator(iterable, t);
        long key;
        while ((key = h.lists().next(it, t)) != 0) {
            long old = h.dicts().getItem(mapping, key);
            if (old == 0) {
                h.dicts().setItem(mapping, key, h.numbers().newInt(1, t), t);
            } else {
                if (h.kindOf(old) != TypeKind.INT) {
                    h.decref(key, t);
                    h.decref(it, t);
                    throw new PyException("TypeError", "pxlab's _count_elements adds 1 to ints only");
                }
                long value = h.numbers().newInt(h.numbers().intValue(old) + 1, t);
                h.dicts().setItem(mapping, key, value, t);
                h.decref(value, t);
            }
            h.decref(key, t);
        }
        h.decref(it, t);
    }

    /**
     * {@code _html.escape(s)}: {@code html.escape(s)} as a C function (see
     * {@link Strings#escapeHtml}): the same str, +1, when nothing needs escaping; otherwise a
     * new str.
     */
    public static long escape(Heap h, ThreadContext t, long self, long[] args, int base, int n) {
        if (n != 1) throw new PyException("TypeError", "escape expected 1 argument, got " + n);
        long s = args[base];
        if (h.kindOf(s) != TypeKind.STR) throw new PyException("TypeError", "escape expects a str");
        return h.strings().escapeHtml(s, t);
    }

    /**
     * {@code _pxlab.blob(n)}: a C extension's opaque buffer of {@code n} bytes (pxlab's blob;
     * uninitialised, as {@code malloc} leaves it), for allocator workloads. No reference
     * traffic besides the call's own. New reference.
     */
    public static long blob(Heap h, ThreadContext t, long self, long[] args, int base, int n) {
        if (n != 1) throw new PyException("TypeError", "blob expected 1 argument, got " + n);
        long size = args[base];
        if (h.kindOf(size) != TypeKind.INT || h.numbers().intValue(size) < 0) {
            throw new PyException("TypeError", "blob expects a size, an int >= 0");
        }
        return h.blobs().newBlob(h.numbers().intValue(size), t);
    }
}
