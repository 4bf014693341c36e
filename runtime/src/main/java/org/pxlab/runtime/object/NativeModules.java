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
            long item = h.newRef(h.lists().getItem(list, mid), t);
            boolean less = h.strings().compare(item, x) < 0;
            h.decref(item, t);
            if (less) lo = mid + 1;
            else hi = mid;
        }
        return h.numbers().newInt(lo, t);
    }
}
