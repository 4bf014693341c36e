package org.pxlab.runtime.object;

import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.memory.Memory;

/**
 * The comparison phase of CPython 3.12's {@code list.sort} ({@code Objects/listobject.c},
 * {@code list_sort_impl}) for lists shorter than 64 items, where timsort is one natural run
 * ({@code count_run}, reversed if strictly descending) extended by binary insertion
 * ({@code binarysort}) and never merges. It makes the comparisons CPython makes, in the same
 * order, with the reference traffic of the compare function the pre-sort check picks:
 * <ul>
 * <li>keys all {@code str} of the 1-byte kind ({@code unsafe_latin_compare}) or all
 *     {@code int} within one 30-bit digit ({@code unsafe_long_compare}): none;</li>
 * <li>keys all {@code str}, some wider ({@code unsafe_object_compare} with
 *     {@code PyUnicode_RichCompare}), or all {@code int}, some wider (with
 *     {@code long_richcompare}): the bool result is released, -1, after each comparison.</li>
 * </ul>
 * Other key types (mixed types, tuples, floats) are refused, as are longer lists (timsort's
 * merges are not modelled). Keys are computed, and released, by the caller.
 */
public final class ListSort {
    /** The longest list sorted without merges: {@code merge_compute_minrun} gives {@code n} below 64. */
    public static final int MAX_ITEMS = 63;

    private enum Compare { NONE_LATIN, NONE_LONG, OBJECT_STR, OBJECT_INT }

    private ListSort() {}

    /** Refuses a list too long for pxlab's model of the sort, before any key is computed. */
    public static void checkLength(long n) {
        if (n > MAX_ITEMS) {
            throw new PyException("NotImplementedError", "pxlab's list.sort models lists of up to " + MAX_ITEMS
                    + " items (one run, binary insertion; no merges), not " + n);
        }
    }

    /**
     * Sorts the list in place, stably, ascending.
     *
     * @param keys   where the keys are ({@code keys[keysAt + i]} is item {@code i}'s key), moved in
     *               step with the items; {@code null} when the items are their own keys
     * @param keysAt index of item 0's key in {@code keys}
     */
    public static void sort(Heap h, ThreadContext t, long list, long[] keys, int keysAt) {
        int n = (int) h.lists().size(list);
        checkLength(n);
        h.admitRemoval(list, org.pxlab.runtime.spi.StoreOperation.LIST_SORT, t);
        if (n < 2) return;
        long items = Memory.getLong(list + h.bodyOffset() + Lists.ITEMS);
        Compare mode = preSortCheck(h, items, keys, keysAt, n);
        int run = countRun(h, t, mode, items, keys, keysAt, n);
        if (run < 0) {
            run = -run;
            reverse(items, keys, keysAt, run);
        }
        if (run < n) binarySort(h, t, mode, items, keys, keysAt, n, run);
    }

    private static long key(long items, long[] keys, int keysAt, int i) {
        return keys == null ? Memory.getLong(items + 8L * i) : keys[keysAt + i];
    }

    private static void setKey(long items, long[] keys, int keysAt, int i, long k) {
        if (keys == null) Memory.putLong(items + 8L * i, k);
        else keys[keysAt + i] = k;
    }

    /** The pre-sort check: every key's type, and whether the cheap compare functions apply. */
    private static Compare preSortCheck(Heap h, long items, long[] keys, int keysAt, int n) {
        TypeKind kind = h.kindOf(key(items, keys, keysAt, 0));
        if (kind != TypeKind.STR && kind != TypeKind.INT) {
            throw new PyException("TypeError", "pxlab's list.sort compares str or int keys, not "
                    + h.types().typeName(h.typeOf(key(items, keys, keysAt, 0))));
        }
        boolean narrow = true;
        for (int i = 0; i < n; i++) {
            long k = key(items, keys, keysAt, i);
            if (h.kindOf(k) != kind) {
                throw new PyException("TypeError", "pxlab's list.sort compares keys of one type (safe_object_compare is not modelled)");
            }
            if (narrow) {
                narrow = kind == TypeKind.STR ? h.strings().isLatin1(k) : Math.abs(h.numbers().intValue(k)) < (1L << 30);
            }
        }
        if (kind == TypeKind.STR) return narrow ? Compare.NONE_LATIN : Compare.OBJECT_STR;
        return narrow ? Compare.NONE_LONG : Compare.OBJECT_INT;
    }

    /** {@code ISLT(a, b)} with the chosen compare function's traffic. */
    private static boolean lessThan(Heap h, ThreadContext t, Compare mode, long a, long b) {
        boolean lt = switch (mode) {
            case NONE_LATIN, OBJECT_STR -> h.strings().compare(a, b) < 0;
            case NONE_LONG, OBJECT_INT -> h.numbers().intValue(a) < h.numbers().intValue(b);
        };
        if (mode == Compare.OBJECT_STR || mode == Compare.OBJECT_INT) {
            h.decref(h.numbers().bool(lt), t); // unsafe_object_compare: Py_DECREF(res_obj); Py_RETURN_TRUE took none
        }
        return lt;
    }

    /**
     * {@code count_run}: the length of the run at the start, negated if it is strictly
     * descending (CPython returns the length and sets {@code *descending}).
     */
    private static int countRun(Heap h, ThreadContext t, Compare mode, long items, long[] keys, int keysAt, int n) {
        int run = 2;
        if (lessThan(h, t, mode, key(items, keys, keysAt, 1), key(items, keys, keysAt, 0))) {
            for (int i = 2; i < n; i++, run++) {
                if (!lessThan(h, t, mode, key(items, keys, keysAt, i), key(items, keys, keysAt, i - 1))) break;
            }
            return -run;
        }
        for (int i = 2; i < n; i++, run++) {
            if (lessThan(h, t, mode, key(items, keys, keysAt, i), key(items, keys, keysAt, i - 1))) break;
        }
        return run;
    }

    /** {@code reverse_sortslice} over the first {@code run} items (and their keys). */
    private static void reverse(long items, long[] keys, int keysAt, int run) {
        for (int lo = 0, hi = run - 1; lo < hi; lo++, hi--) {
            long a = Memory.getLong(items + 8L * lo);
            Memory.putLong(items + 8L * lo, Memory.getLong(items + 8L * hi));
            Memory.putLong(items + 8L * hi, a);
            if (keys != null) {
                long k = keys[keysAt + lo];
                keys[keysAt + lo] = keys[keysAt + hi];
                keys[keysAt + hi] = k;
            }
        }
    }

    /** {@code binarysort}: inserts items {@code start..n-1} into the sorted prefix, after any equal keys. */
    private static void binarySort(Heap h, ThreadContext t, Compare mode, long items, long[] keys, int keysAt, int n,
                                   int start) {
        for (; start < n; start++) {
            int l = 0, r = start;
            long pivot = key(items, keys, keysAt, start);
            do {
                int p = l + ((r - l) >> 1);
                if (lessThan(h, t, mode, pivot, key(items, keys, keysAt, p))) r = p;
                else l = p + 1;
            } while (l < r);
            for (int p = start; p > l; p--) setKey(items, keys, keysAt, p, key(items, keys, keysAt, p - 1));
            setKey(items, keys, keysAt, l, pivot);
            if (keys != null) {
                long value = Memory.getLong(items + 8L * start);
                for (int p = start; p > l; p--) Memory.putLong(items + 8L * p, Memory.getLong(items + 8L * (p - 1)));
                Memory.putLong(items + 8L * l, value);
            }
        }
    }
}
